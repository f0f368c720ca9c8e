"""With a consent allowing 1 hour a day, a scheduled stream passes every go-live check until the brand's streams on
the grant have been metered for that hour today; then the check refuses with `licence_hours_used_up` in English and
Chinese."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from streaming.metering import record_live_usage
from streaming.streams import check_go_live, schedule_stream
from tests.streaming.streams.helpers import approved_version, new_stream, ready_operator, stream_avatar

pytestmark = pytest.mark.django_db


def test_used_up_hours_block_going_live(personas: dict[str, Any]) -> None:
    avatar, version = stream_avatar(personas, hours_per_day=1), approved_version(personas)
    stream = schedule_stream(stream=new_stream(personas, avatar, version), actor=personas["alice"])
    earlier = new_stream(personas, avatar, version, title="Earlier today")
    ready_operator(personas)
    assert check_go_live(stream=stream, operator=personas["bob"]) == []

    for sequence in range(59):
        record_live_usage(earlier.pk, seconds=60, sequence=sequence, script_version_id=None, now=timezone.now())
    assert check_go_live(stream=stream, operator=personas["bob"]) == []  # one minute left

    record_live_usage(earlier.pk, seconds=60, sequence=59, script_version_id=None, now=timezone.now())
    (refused,) = check_go_live(stream=stream, operator=personas["bob"])
    assert refused.code == "licence_hours_used_up"
    assert "used up" in refused.en
    assert "已用完" in refused.zh
