"""Suppressed comments per minute over the window (interaction.host_state reads the stored decisions) turn the host
calm; the change is ledgered with the rate that caused it, and the calm tone lasts the dwell time."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from audit.models import LedgerEvent
from interaction.host_state import update_host_state
from interaction.models import HostState
from tests.interaction.tone.helpers import suppressed, tone_stream

pytestmark = pytest.mark.django_db


def test_abuse_turns_the_host_calm(personas: dict[str, Any], settings: Any) -> None:
    settings.TONE_WINDOW_SECONDS = 60
    settings.TONE_DWELL_SECONDS = 90
    stream = tone_stream(personas)
    now = timezone.now()
    assert update_host_state(stream, now).tone == "neutral"
    suppressed(stream, 2, now + timedelta(seconds=5))  # 2 a minute: under the enter threshold (3)
    assert update_host_state(stream, now + timedelta(seconds=10)).tone == "neutral"
    suppressed(stream, 4, now + timedelta(seconds=15), tag="y")  # 6 in the last minute
    mood = update_host_state(stream, now + timedelta(seconds=20))
    assert mood.tone == "calm"
    event = LedgerEvent.objects.get(subject=stream.subject, kind="stream.tone_changed")
    assert event.payload_data["from"] == "neutral"
    assert event.payload_data["to"] == "calm"
    assert event.payload_data["abuse_per_minute"] == 6.0
    row = HostState.objects.get(stream=stream)
    assert row.abuse_per_minute == 6.0
    # The abuse leaves the window, but calm is held for the dwell time from when it began.
    assert update_host_state(stream, now + timedelta(seconds=100)).tone == "calm"
    assert update_host_state(stream, now + timedelta(seconds=111)).tone == "neutral"
    kinds = list(
        LedgerEvent.objects.filter(subject=stream.subject, kind="stream.tone_changed")
        .order_by("seq")
        .values_list("payload", flat=True)
    )
    assert len(kinds) == 2
