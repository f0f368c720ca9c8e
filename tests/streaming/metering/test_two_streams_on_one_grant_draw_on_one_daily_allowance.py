"""Live seconds of two of the brand's streams on one grant add up on the grant's day, and what is left of
`hours_per_day` is the same whichever of the two streams asks; a grant without a limit has no allowance (None)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from streaming.metering import live_seconds_left, record_live_usage
from streaming.models import LiveUsageDay
from tests.streaming.metering.helpers import NOON_SHANGHAI, streams_on_one_grant

pytestmark = pytest.mark.django_db


def test_two_streams_share_the_allowance(personas: dict[str, Any]) -> None:
    first, second = streams_on_one_grant(personas, hours_per_day=2)
    assert live_seconds_left(first.pk, NOON_SHANGHAI) == 7200.0

    for sequence in range(3):
        record_live_usage(
            first.pk,
            seconds=2.0,
            sequence=sequence,
            script_version_id=first.version.pk,
            now=NOON_SHANGHAI + timedelta(seconds=2 * sequence),
        )
    record_live_usage(second.pk, seconds=1.5, sequence=0, script_version_id=None, now=NOON_SHANGHAI)

    assert live_seconds_left(first.pk, NOON_SHANGHAI) == pytest.approx(7200 - 7.5)
    assert live_seconds_left(second.pk, NOON_SHANGHAI) == pytest.approx(7200 - 7.5)
    day = LiveUsageDay.objects.get()
    assert (day.milliseconds, day.segments, str(day.day)) == (7500, 4, "2026-03-10")
    assert day.grant_id == first.avatar.grant_id
    assert day.organisation_id == personas["acme"].pk


def test_the_allowance_never_goes_below_zero(personas: dict[str, Any]) -> None:
    (stream,) = streams_on_one_grant(personas, hours_per_day=1, count=1)
    for sequence in range(61):  # 61 minutes of 60-second segments
        record_live_usage(stream.pk, seconds=60, sequence=sequence, script_version_id=None, now=NOON_SHANGHAI)
    assert live_seconds_left(stream.pk, NOON_SHANGHAI) == 0.0


def test_no_limit_means_no_allowance(personas: dict[str, Any]) -> None:
    (stream,) = streams_on_one_grant(personas, hours_per_day=None, count=1)
    record_live_usage(stream.pk, seconds=2, sequence=0, script_version_id=None, now=NOON_SHANGHAI)
    assert live_seconds_left(stream.pk, NOON_SHANGHAI) is None
    assert LiveUsageDay.objects.get().milliseconds == 2000
