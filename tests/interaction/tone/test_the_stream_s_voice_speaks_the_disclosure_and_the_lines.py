"""A live stream's own voice (backend, preset, rate, pitch) reaches the runner's renderer: the spoken AI disclosure
that opens the stream is made with the same backend, preset and pitch, and the lines with the same backend and
preset at the stream's rate and pitch (the room is quiet: the neutral tone changes nothing)."""

from __future__ import annotations

from typing import Any

import pytest

from render.models import RenderJob
from streaming.runner.loop import run_live_stream
from tests.interaction.tone.helpers import SpeechSpy, tone_stream
from tests.streaming.runner.helpers import ScriptedControl, runner_settings

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

VOICE = {"tts_backend": "espeak", "voice": "en-us", "voice_rate": 1.2, "voice_pitch": 1.1}


def test_the_disclosure_and_the_lines_speak_in_the_stream_s_voice(
    transactional_db: Any, personas: dict[str, Any], monkeypatch: Any
) -> None:
    spy = SpeechSpy().install(monkeypatch)
    stream = tone_stream(personas, built=True, live=True, voice=VOICE)
    outcome = run_live_stream(
        stream_id=stream.pk,
        control=ScriptedControl(),
        settings=runner_settings(),
        max_segments=1,
        pace=False,
        push=False,
    )
    assert outcome.status == "yielded", outcome
    job = RenderJob.objects.get(stream_id=str(stream.public_id))
    assert {key: job.settings[key] for key in VOICE} == VOICE
    assert spy.openings, "the disclosure was not spoken"
    for opening in spy.openings:
        assert (opening["backend"], opening["voice"], opening["pitch"]) == ("espeak", "en-us", 1.1)
    assert spy.lines
    for line in spy.lines:
        assert (line["backend"], line["voice"], line["speed"], line["pitch"]) == ("espeak", "en-us", 1.2, 1.1)
