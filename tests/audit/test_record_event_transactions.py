"""The event and the write it describes commit together or not at all, in both directions."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from accounts.models import Organisation
from audit.models import LedgerEvent
from audit.services import EventSpec, InvalidPayloadError, record_event, record_events


class BusinessError(Exception):
    pass


def _create_and_record(slug: str, payload: dict[Any, Any]) -> None:
    with transaction.atomic():
        org = Organisation.objects.create(name=slug.title(), slug=slug)
        record_event(kind="organisation.created", subject=f"organisation:{org.public_id}", payload=payload, actor=None)


def _create_record_then_fail(slug: str) -> None:
    with transaction.atomic():
        _create_and_record(slug, {})
        raise BusinessError


def test_a_rolled_back_write_leaves_no_event(db: Any) -> None:
    with pytest.raises(BusinessError):
        _create_record_then_fail("gone")

    assert not Organisation.objects.filter(slug="gone").exists()
    assert not LedgerEvent.objects.exists()


def test_a_failing_append_rolls_back_the_callers_write(db: Any) -> None:
    with pytest.raises(InvalidPayloadError):
        _create_and_record("half", {"x": float("nan")})

    assert not Organisation.objects.filter(slug="half").exists()
    assert not LedgerEvent.objects.exists()


def test_catching_a_failed_append_cannot_commit_the_write_alone(db: Any) -> None:
    with transaction.atomic():
        Organisation.objects.create(name="Sneaky", slug="sneaky")
        with contextlib.suppress(ValueError):
            record_event(kind="organisation.created", subject="organisation:x", payload={1: "a"}, actor=None)

    assert not Organisation.objects.filter(slug="sneaky").exists()
    assert not LedgerEvent.objects.exists()


def test_a_committed_write_keeps_its_event(db: Any) -> None:
    _create_and_record("kept", {"ok": True})

    org = Organisation.objects.get(slug="kept")
    assert LedgerEvent.objects.filter(subject=f"organisation:{org.public_id}").count() == 1


@pytest.mark.postgres
@pytest.mark.parametrize("batch", [False, True], ids=["one event", "a batch"])
def test_a_database_error_in_the_append_cannot_commit_the_write_alone(db: Any, batch: bool) -> None:
    # No savepoint guards the append, so a failure inside the database must still take the caller's write down,
    # caught or not. An organisation id that does not exist fails the foreign key there (checked at once here
    # rather than at commit, so that the statement itself fails).
    ghost = Organisation(pk=2**40, name="Ghost", slug="ghost")
    with transaction.atomic():
        connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
        Organisation.objects.create(name="Sneaky", slug="sneaky")
        with contextlib.suppress(IntegrityError):
            if batch:
                record_events(
                    events=[
                        EventSpec(kind="k", subject=f"stream:{i}", payload={}, organisation=ghost) for i in range(3)
                    ]
                )
            else:
                record_event(kind="k", subject="stream:1", payload={}, actor=None, organisation=ghost)
            raise AssertionError("the append should have failed")

    assert not Organisation.objects.filter(slug="sneaky").exists()
    assert not LedgerEvent.objects.exists()
