from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import transaction

from audit.models import LedgerEvent
from audit.services import InvalidEventError, InvalidPayloadError, record_event


@pytest.mark.parametrize(
    "payload",
    [
        {"x": float("nan")},
        {"x": float("inf")},
        {"x": -float("inf")},
        {1: "non-string key"},
        {"nested": {2: "non-string key"}},
        {"when": datetime(2025, 1, 1, tzinfo=UTC)},
        {"big": 2**60},
        ["not", "an", "object"],
    ],
)
def test_it_rejects_payloads_that_are_not_canonical_json(db: Any, payload: Any) -> None:
    with pytest.raises(InvalidPayloadError):
        record_event(kind="k", subject="stream:1", payload=payload, actor=None)


def test_the_payload_error_is_a_value_error() -> None:
    assert issubclass(InvalidPayloadError, ValueError)
    assert issubclass(InvalidEventError, ValueError)


@pytest.mark.parametrize(
    ("kind", "subject", "actor"),
    [
        ("k", "no-colon", None),
        ("k", "Stream:1", None),
        ("k", "stream: 1", None),
        ("k", "stream:" + "x" * 200, None),
        ("", "stream:1", None),
        ("k", "stream:1", ""),
        ("k", "stream:1", 42),
    ],
)
def test_it_rejects_malformed_subjects_kinds_and_actors(db: Any, kind: str, subject: str, actor: Any) -> None:
    # A failed append dooms the enclosing transaction, so give it its own savepoint to keep querying after it.
    with pytest.raises(InvalidEventError), transaction.atomic():
        record_event(kind=kind, subject=subject, payload={}, actor=actor)
    assert not LedgerEvent.objects.exists()
