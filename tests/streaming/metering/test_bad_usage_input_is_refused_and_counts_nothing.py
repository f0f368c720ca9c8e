"""Usage the runner could only report by mistake is refused with a code (a 4xx DomainError) and counts nothing: no
length, a negative or absurd one, a negative sequence, a naive time, another brand's script version."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from common.api import DomainError
from streaming.metering import record_live_usage
from streaming.models import LiveUsageDay, LiveUsageSegment
from tests.streaming.metering.helpers import NOON_SHANGHAI, streams_on_one_grant

pytestmark = pytest.mark.django_db


def test_bad_usage_is_refused(personas: dict[str, Any]) -> None:
    (stream,) = streams_on_one_grant(personas, hours_per_day=2, count=1)
    from streaming.services import create_script

    foreign = create_script(
        organisation=personas["globex"],
        actor=personas["charlie"],
        title="Globex",
        language="en",
        lines=[{"id": "g", "text": "Hello everyone, welcome!", "language": "en", "intent": "greet"}],
    )
    cases: list[tuple[dict[str, Any], str]] = [
        ({"seconds": 0}, "invalid_usage_seconds"),
        ({"seconds": -2}, "invalid_usage_seconds"),
        ({"seconds": float("nan")}, "invalid_usage_seconds"),
        ({"seconds": 3600}, "invalid_usage_seconds"),
        ({"sequence": -1}, "invalid_usage_sequence"),
        ({"now": datetime(2026, 3, 10, 12, 0)}, "invalid_usage_time"),  # noqa: DTZ001 (the naive time under test)
        ({"script_version_id": foreign.versions.get().pk}, "invalid_usage_script"),
    ]
    for change, code in cases:
        values: dict[str, Any] = {"seconds": 2.0, "sequence": 1, "script_version_id": None, "now": NOON_SHANGHAI}
        values.update(change)
        with pytest.raises(DomainError) as refused:
            record_live_usage(stream.pk, **values)
        assert (refused.value.status_code, refused.value.code) == (400, code), change
    assert not LiveUsageSegment.objects.exists()
    assert not LiveUsageDay.objects.exists()
