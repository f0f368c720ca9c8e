"""Presence: bob's console beats; within the stream's timeout (60 s by default) he is present, after it he is not.
The runner's look finds the gap once (ledgered once, by the system, however often it looks), pauses the live stream
for absence, and bob's next heartbeat ends the gap (ledgered naming him, with its length) and resumes the stream.
An operator's own pause is never undone by a heartbeat."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from streaming.models import Stream
from streaming.operator_control import enforce_presence, operator_present
from streaming.operators import heartbeat, operator_change_state
from tests.streaming.operators.helpers import kinds, live_stream

pytestmark = pytest.mark.django_db


def test_a_lapse_pauses_and_a_return_resumes(personas: dict[str, Any]) -> None:
    bob = personas["bob"]
    stream = live_stream(personas)
    assert stream.presence_timeout_s == 60
    t0 = timezone.now()
    assert not operator_present(stream.pk, t0), "nobody has sent a heartbeat yet: a gap from the start"
    stream = Stream.objects.get(pk=stream.pk)
    heartbeat(stream=stream, operator=bob, now=t0)  # ends that first gap (the stream was not paused for it)

    assert operator_present(stream.pk, t0 + timedelta(seconds=59))
    assert not operator_present(stream.pk, t0 + timedelta(seconds=61))
    assert not operator_present(stream.pk, t0 + timedelta(seconds=62))
    assert enforce_presence(stream.pk, t0 + timedelta(seconds=63)) == "paused"
    assert enforce_presence(stream.pk, t0 + timedelta(seconds=64)) == "paused"
    stream.refresh_from_db()
    assert stream.state == "paused"
    assert "no operator heartbeat for 60 s" in stream.state_reason

    beat = heartbeat(stream=stream, operator=bob, now=t0 + timedelta(seconds=90))
    assert beat.state == "live"
    stream.refresh_from_db()
    assert stream.state == "live"

    events = kinds(stream)
    names = [k for k, _ in events]
    # Two gaps: before bob's console first beat, and after it fell silent; each ledgered once.
    assert names.count("stream.presence_lapsed") == 2
    assert names.count("stream.presence_restored") == 2
    # bob's first beat and his return after the gap are arrivals; the look that found the gap is the system's.
    assert names.count("stream.operator_arrived") == 2
    assert ("stream.presence_lapsed", "system") in events
    who = f"user:{bob.public_id}"
    assert ("stream.presence_restored", who) in events
    assert names.count("stream.paused") == 1
    assert events[-1] == ("stream.resumed", who)

    from audit.models import LedgerEvent

    restored = (
        LedgerEvent.objects.filter(subject=stream.subject, kind="stream.presence_restored").order_by("-seq")[0]
    ).payload_data
    assert restored["gap_seconds"] == pytest.approx(30.0, abs=0.01)


def test_an_operators_own_pause_is_not_undone_by_a_heartbeat(personas: dict[str, Any]) -> None:
    bob = personas["bob"]
    stream = live_stream(personas)
    t0 = timezone.now()
    heartbeat(stream=stream, operator=bob, now=t0)
    operator_change_state(stream=stream, operator=bob, to="paused", reason="a product question to check")
    stream.refresh_from_db()
    heartbeat(stream=stream, operator=bob, now=t0 + timedelta(seconds=5))
    assert enforce_presence(stream.pk, t0 + timedelta(seconds=6)) == "paused"
    stream.refresh_from_db()
    assert (stream.state, stream.state_reason) == ("paused", "a product question to check")
