"""An operator whose real-name record says they turn 18 later (adult_on in the future) fails the go-live check with
operator_under_18; the day they turn 18 the check passes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import RealNameRecord
from streaming.streams import check_go_live, schedule_stream
from tests.streaming.streams.helpers import approved_version, new_stream, ready_operator, stream_avatar

pytestmark = pytest.mark.django_db


def test_under_18(personas: dict[str, Any]) -> None:
    stream = schedule_stream(
        stream=new_stream(personas, stream_avatar(personas), approved_version(personas)), actor=personas["alice"]
    )
    bob = personas["bob"]
    ready_operator(personas)
    RealNameRecord.objects.filter(user=bob).update(adult_on=timezone.localdate() + timedelta(days=30))
    assert [r.code for r in check_go_live(stream=stream, operator=bob)] == ["operator_under_18"]
    RealNameRecord.objects.filter(user=bob).update(adult_on=timezone.localdate())
    assert check_go_live(stream=stream, operator=bob) == []
