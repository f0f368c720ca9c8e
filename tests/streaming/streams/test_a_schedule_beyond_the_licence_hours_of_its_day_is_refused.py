"""With a consent allowing 3 hours a day, the brand's second stream on the same grant and Shanghai day that would
bring the scheduled hours to 4 is refused (409 `licence_hours_exceeded`, a sentence naming the day, the other
stream and the limit) and stays a draft; one that brings them to exactly 3, or one on the next day, is scheduled."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from common.api import DomainError
from streaming.streams import schedule_stream
from tests.streaming.streams.helpers import approved_version, new_stream, stream_avatar

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_licence_hours_of_a_day_bound_the_schedules(personas: dict[str, Any]) -> None:
    avatar, version = stream_avatar(personas, hours_per_day=3), approved_version(personas)
    day = timezone.now().astimezone(SHANGHAI).date() + timedelta(days=2)

    def at(hour: int, on: Any = day) -> datetime:
        return datetime.combine(on, time(hour), SHANGHAI)

    def stream(title: str, start: datetime, stop: datetime) -> Any:
        return new_stream(personas, avatar, version, title=title, starts_at=start, stops_at=stop)

    morning = schedule_stream(stream=stream("Morning", at(10), at(12)), actor=personas["alice"])
    assert morning.state == "scheduled"

    too_long = stream("Afternoon", at(14), at(16))
    with pytest.raises(DomainError) as refused:
        schedule_stream(stream=too_long, actor=personas["alice"])
    assert (refused.value.status_code, refused.value.code) == (409, "licence_hours_exceeded")
    sentence = str(refused.value.detail)
    assert day.isoformat() in sentence
    assert "“Morning”" in sentence
    assert "4 hours" in sentence
    assert "3 hours" in sentence
    too_long.refresh_from_db()
    assert too_long.state == "draft"

    assert schedule_stream(stream=stream("Short", at(14), at(15)), actor=personas["alice"]).state == "scheduled"
    next_day = day + timedelta(days=1)
    assert (
        schedule_stream(stream=stream("Tomorrow", at(10, next_day), at(12, next_day)), actor=personas["alice"]).state
        == "scheduled"
    )


def test_without_a_daily_limit_only_overlap_in_time_is_refused(personas: dict[str, Any]) -> None:
    avatar, version = stream_avatar(personas), approved_version(personas)
    start = timezone.now() + timedelta(hours=1)
    for n in range(3):  # 3 x 10 hours on consecutive, non-overlapping slots
        s = new_stream(
            personas,
            avatar,
            version,
            starts_at=start + timedelta(hours=10 * n),
            stops_at=start + timedelta(hours=10 * (n + 1)),
        )
        assert schedule_stream(stream=s, actor=personas["alice"]).state == "scheduled"
