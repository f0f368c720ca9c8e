"""The licence day is the stream's local calendar day: a segment at 23:59:59 in Shanghai (15:59:59 UTC) counts
on that day, the next one at 00:00 (16:00 UTC, the same UTC date) on the next, whose allowance is whole again."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from streaming.metering import live_seconds_left, record_live_usage
from streaming.models import LiveUsageDay
from tests.streaming.metering.helpers import streams_on_one_grant

pytestmark = pytest.mark.django_db


def test_midnight_in_shanghai_starts_a_new_licence_day(personas: dict[str, Any]) -> None:
    (stream,) = streams_on_one_grant(personas, hours_per_day=3, count=1)
    assert stream.time_zone == "Asia/Shanghai"
    before = datetime(2026, 3, 10, 15, 59, 59, tzinfo=UTC)
    after = datetime(2026, 3, 10, 16, 0, 0, tzinfo=UTC)

    record_live_usage(stream.pk, seconds=10, sequence=7, script_version_id=None, now=before)
    record_live_usage(stream.pk, seconds=4, sequence=8, script_version_id=None, now=after)

    days = {str(d.day): d.milliseconds for d in LiveUsageDay.objects.all()}
    assert days == {"2026-03-10": 10000, "2026-03-11": 4000}
    assert live_seconds_left(stream.pk, before) == pytest.approx(3 * 3600 - 10)
    assert live_seconds_left(stream.pk, after) == pytest.approx(3 * 3600 - 4)
