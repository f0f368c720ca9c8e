"""A worker that takes a stream over and publishes the same sequence number again (with a different length, at a
later time) does not add to the usage: the first record of (stream, sequence) stands."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from streaming.metering import live_seconds_left, record_live_usage
from streaming.models import LiveUsageDay, LiveUsageSegment
from tests.streaming.metering.helpers import NOON_SHANGHAI, streams_on_one_grant

pytestmark = pytest.mark.django_db


def test_replayed_segment_is_counted_once(personas: dict[str, Any]) -> None:
    (stream,) = streams_on_one_grant(personas, hours_per_day=2, count=1)
    record_live_usage(stream.pk, seconds=2, sequence=41, script_version_id=stream.version.pk, now=NOON_SHANGHAI)
    # the new owner of the lease replays 41 and continues at 42
    record_live_usage(
        stream.pk, seconds=3, sequence=41, script_version_id=None, now=NOON_SHANGHAI + timedelta(seconds=9)
    )
    record_live_usage(
        stream.pk, seconds=2, sequence=42, script_version_id=None, now=NOON_SHANGHAI + timedelta(seconds=11)
    )

    day = LiveUsageDay.objects.get()
    assert (day.milliseconds, day.segments) == (4000, 2)
    assert list(LiveUsageSegment.objects.values_list("sequence", "milliseconds")) == [(41, 2000), (42, 2000)]
    assert live_seconds_left(stream.pk, NOON_SHANGHAI) == pytest.approx(7200 - 4)
