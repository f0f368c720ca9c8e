"""States move only along the table (draft -> scheduled -> live <-> paused -> ended, or failed); any other move is
409 and changes nothing; every move names who and why in the ledger."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import LedgerEvent
from common.api import DomainError
from streaming.streams import change_stream_state, schedule_stream, transition_stream
from tests.streaming.streams.helpers import approved_version, go_live_now, new_stream, ready_operator, stream_avatar

pytestmark = pytest.mark.django_db


def test_the_state_table(personas: dict[str, Any]) -> None:
    bob = personas["bob"]
    stream = new_stream(personas, stream_avatar(personas), approved_version(personas))
    with pytest.raises(DomainError) as skipped:
        transition_stream(stream=stream, to="live", actor=personas["alice"], reason="skip the checks")
    assert (skipped.value.status_code, skipped.value.code) == (409, "transition_not_allowed")
    stream.refresh_from_db()
    assert stream.state == "draft"

    stream = schedule_stream(stream=stream, actor=personas["alice"])
    stream = go_live_now(stream, bob, ready_operator(personas))
    stream = change_stream_state(stream=stream, actor=bob, to="paused", reason="operator stepped away")
    stream = change_stream_state(stream=stream, actor=bob, to="live", reason="operator back")
    stream = change_stream_state(stream=stream, actor=bob, to="ended", reason="show over")
    assert stream.ended_at is not None
    with pytest.raises(DomainError):
        change_stream_state(stream=stream, actor=bob, to="live", reason="again")

    events = LedgerEvent.objects.filter(subject=stream.subject).order_by("pk")
    moves = [(e.kind, e.payload_data.get("reason")) for e in events if "from" in e.payload_data]
    assert moves[-3:] == [
        ("stream.paused", "operator stepped away"),
        ("stream.resumed", "operator back"),
        ("stream.ended", "show over"),
    ]
    assert all(e.actor for e in events)
