"""A schedule that starts in the past is a 400; a second stream of the same avatar in overlapping hours cannot be
scheduled (409) and fails the go-live check, while one in later hours can."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from common.api import DomainError
from streaming.models import Stream
from streaming.streams import check_go_live, schedule_stream
from tests.streaming.streams.helpers import approved_version, new_stream, ready_operator, stream_avatar

pytestmark = pytest.mark.django_db


def test_past_and_overlapping_schedules(personas: dict[str, Any]) -> None:
    avatar, version = stream_avatar(personas), approved_version(personas)
    now = timezone.now()
    with pytest.raises(DomainError) as past:
        new_stream(personas, avatar, version, starts_at=now - timedelta(days=1), stops_at=now + timedelta(hours=1))
    assert (past.value.status_code, past.value.code) == (400, "schedule_in_past")
    assert not Stream.objects.exists()

    first = schedule_stream(stream=new_stream(personas, avatar, version), actor=personas["alice"])
    second = new_stream(
        personas, avatar, version, starts_at=now + timedelta(hours=1), stops_at=now + timedelta(hours=3)
    )
    with pytest.raises(DomainError) as overlap:
        schedule_stream(stream=second, actor=personas["alice"])
    assert (overlap.value.status_code, overlap.value.code) == (409, "schedule_overlap")
    second.refresh_from_db()
    assert second.state == "draft"

    later = new_stream(personas, avatar, version, starts_at=now + timedelta(hours=3), stops_at=now + timedelta(hours=4))
    assert schedule_stream(stream=later, actor=personas["alice"]).state == "scheduled"
    ready_operator(personas)
    assert [r.code for r in check_go_live(stream=first, operator=personas["bob"])] == []
