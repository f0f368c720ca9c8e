"""Sales momentum (the platform's orders per minute, kept as RoomSample rows) turns the host upbeat; the upbeat tone
maps to a faster, slightly higher voice within the engine's ranges and to a nod on lines that would stand still."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from audit.models import LedgerEvent
from interaction.host_state import update_host_state
from interaction.tone import performed_intent, tone_voice
from render.engine.options import VOICE_PITCH_RANGE, VOICE_RATE_RANGE
from tests.interaction.tone.helpers import sample, tone_stream

pytestmark = pytest.mark.django_db


def test_fast_orders_turn_the_host_upbeat(personas: dict[str, Any], settings: Any) -> None:
    settings.TONE_WINDOW_SECONDS = 120
    settings.TONE_DWELL_SECONDS = 60
    stream = tone_stream(personas)
    now = timezone.now()
    sample(stream, now - timedelta(seconds=60), viewers=200, orders=3)
    assert update_host_state(stream, now).tone == "neutral"
    sample(stream, now + timedelta(seconds=30), viewers=220, orders=25)  # mean of the window: 14 a minute
    assert update_host_state(stream, now + timedelta(seconds=40)).tone == "upbeat"
    event = LedgerEvent.objects.get(subject=stream.subject, kind="stream.tone_changed")
    assert (event.payload_data["from"], event.payload_data["to"]) == ("neutral", "upbeat")
    assert event.payload_data["orders_per_minute"] == 14.0


def test_upbeat_speaks_faster_and_higher_within_the_engine_s_ranges() -> None:
    rate, pitch = tone_voice("upbeat", 1.0, 1.0)
    assert rate > 1.0
    assert pitch > 1.0
    calm_rate, calm_pitch = tone_voice("calm", 1.0, 1.0)
    assert calm_rate < 1.0
    assert calm_pitch < 1.0
    # Already at the top of the range: the tone cannot push the voice past what the engine offers.
    assert tone_voice("upbeat", VOICE_RATE_RANGE[1], VOICE_PITCH_RANGE[1]) == (
        VOICE_RATE_RANGE[1],
        VOICE_PITCH_RANGE[1],
    )
    assert performed_intent("upbeat", "idle") == "agree"
    assert performed_intent("calm", "greet") == "agree"
    assert performed_intent("calm", "price") == "price"
