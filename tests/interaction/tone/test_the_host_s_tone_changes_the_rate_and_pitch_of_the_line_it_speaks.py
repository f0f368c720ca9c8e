"""The runner asks for the host's tone once per line: in a room that turned abusive the line is spoken calm, slower
and lower than the stream's own voice (the rate and pitch the engine is asked for, and the audio's length), and the
greeting is performed with a nod instead of a wave. The chosen rate and pitch are saved with the planned line, so a
worker taking over re-plans the same audio."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from interaction.tone import tone_voice
from render.engine.speech import synthesize
from streaming.models import StreamLease
from streaming.runner.loop import run_live_stream
from tests.interaction.tone.helpers import SpeechSpy, suppressed, tone_stream
from tests.streaming.runner.helpers import ScriptedControl, runner_settings

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

GREETING = [{"id": "g", "text": "Hello everyone, welcome to the show tonight!", "language": "en", "intent": "greet"}]


def test_a_calm_host_speaks_slower_and_lower(transactional_db: Any, personas: dict[str, Any], monkeypatch: Any) -> None:
    spy = SpeechSpy().install(monkeypatch)
    stream = tone_stream(
        personas, lines=GREETING, built=True, live=True, voice={"tts_backend": "espeak", "voice_rate": 1.1}
    )
    suppressed(stream, 10, timezone.now())  # the room turned abusive just now
    outcome = run_live_stream(
        stream_id=stream.pk,
        control=ScriptedControl(),
        settings=runner_settings(),
        max_segments=1,
        pace=False,
        push=False,
    )
    assert outcome.status == "yielded", outcome
    rate, pitch = tone_voice("calm", 1.1, 1.0)
    assert rate < 1.1
    assert pitch < 1.0
    spoken = [line for line in spy.lines if line["text"] == GREETING[0]["text"]]
    assert spoken
    assert (spoken[0]["speed"], spoken[0]["pitch"]) == (rate, pitch)
    neutral = synthesize(GREETING[0]["text"], language="en", backend="espeak", speed=1.1, pitch=1.0)
    assert spoken[0]["duration_s"] > len(neutral.pcm) / neutral.sample_rate * 1.05  # calm: audibly slower
    planned = StreamLease.objects.get(stream=stream).blocks[0]["lines"][0]
    assert (planned["tone"], planned["voice_rate"], planned["voice_pitch"]) == ("calm", rate, pitch)
    assert planned["intent"] == "greet"  # the script's intent is kept
    assert planned["performed_intent"] == "agree"  # performed with a nod, not a wave
