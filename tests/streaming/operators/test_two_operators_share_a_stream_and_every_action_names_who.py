"""bob and alice are both assigned operators of one live stream. Either one's heartbeat keeps it present; bob takes it
over and alice cannot take it over again until someone hands back; alice hands back for him (the ledger names her
and who had taken over); alice pauses and bob resumes. Every event names its actor."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from audit.models import LedgerEvent
from common.api import DomainError
from streaming.operator_control import operator_present, takeover_active
from streaming.operators import hand_back, heartbeat, operator_change_state, take_over
from tests.streaming.operators.helpers import kinds, live_stream

pytestmark = pytest.mark.django_db


def test_two_operators(personas: dict[str, Any]) -> None:
    alice, bob = personas["alice"], personas["bob"]
    stream = live_stream(personas, with_alice=True)
    t0 = timezone.now()
    heartbeat(stream=stream, operator=bob, now=t0)
    heartbeat(stream=stream, operator=alice, now=t0 + timedelta(seconds=50))
    # bob's console is silent past the timeout, alice's is not: the stream still has a present operator.
    assert operator_present(stream.pk, t0 + timedelta(seconds=100))
    assert not operator_present(stream.pk, t0 + timedelta(seconds=111))

    assert not takeover_active(stream.pk)
    take_over(stream=stream, operator=bob, reason="answering a buyer on the phone")
    assert takeover_active(stream.pk)
    with pytest.raises(DomainError) as twice:
        take_over(stream=stream, operator=alice)
    assert (twice.value.status_code, twice.value.code) == (409, "takeover_active")
    assert "Bob has taken this stream over already" in str(twice.value.detail)
    hand_back(stream=stream, operator=alice)
    assert not takeover_active(stream.pk)
    with pytest.raises(DomainError) as again:
        hand_back(stream=stream, operator=bob)
    assert (again.value.status_code, again.value.code) == (409, "no_takeover")

    stream = operator_change_state(stream=stream, operator=alice, to="paused")
    stream = operator_change_state(stream=stream, operator=bob, to="live")

    a, b = f"user:{alice.public_id}", f"user:{bob.public_id}"
    events = kinds(stream)
    assert ("stream.taken_over", b) in events
    assert ("stream.handed_back", a) in events
    assert events[-2:] == [("stream.paused", a), ("stream.resumed", b)]
    assert ("stream.operator_arrived", a) in events
    assert ("stream.operator_arrived", b) in events
    back = LedgerEvent.objects.get(subject=stream.subject, kind="stream.handed_back").payload_data
    assert (back["by"], back["taken_by"]) == (str(alice.public_id), str(bob.public_id))
    assert all(actor for _, actor in events)
