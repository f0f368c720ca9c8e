"""An operator's interjection and an answer to a viewer are spoken in the tone the host is in, not in the stream's
plain voice: in a room that turned abusive, both come out calm (slower and lower), as the playlist line before them,
and the tone is saved with each planned line so a worker taking over re-plans the same audio. The words stay the ones
typed or approved."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from interaction.tone import tone_voice
from streaming.live.control import Interjection, QueuedAnswer
from streaming.models import StreamLease
from streaming.runner.loop import run_live_stream
from tests.interaction.tone.helpers import SpeechSpy, suppressed, tone_stream
from tests.streaming.runner.helpers import ControlWithAnswers, runner_settings

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

GREETING = [{"id": "g", "text": "Hello everyone, welcome to the show tonight!", "language": "en", "intent": "greet"}]
ANSWER = QueuedAnswer(
    id=5,
    public_id="7d1f4f4e-0000-4000-8000-000000000005",
    text="@viewer, it ships in two days.",
    language="en",
    faq_public_id="7d1f4f4e-0000-4000-8000-0000000000fb",
    by_user_id=0,
)


def test_a_calm_host_says_the_operator_s_line_and_the_answer_calmly(
    transactional_db: Any, personas: dict[str, Any], monkeypatch: Any
) -> None:
    spy = SpeechSpy().install(monkeypatch)
    stream = tone_stream(
        personas, lines=GREETING, built=True, live=True, voice={"tts_backend": "espeak", "voice_rate": 1.1}
    )
    suppressed(stream, 10, timezone.now())  # the room turned abusive just now
    typed = "Please keep the chat friendly."
    control = ControlWithAnswers(
        interjections=[Interjection(id=9, text=typed, at_once=False, by_user_id=personas["bob"].pk)],
        answers=[ANSWER],
    )
    outcome = run_live_stream(
        stream_id=stream.pk, control=control, settings=runner_settings(), max_segments=1, pace=False, push=False
    )
    assert outcome.status == "yielded", outcome

    rate, pitch = tone_voice("calm", 1.1, 1.0)
    assert (rate, pitch) != (1.1, 1.0)
    lines = {line["id"]: line for block in StreamLease.objects.get(stream=stream).blocks for line in block["lines"]}
    for line_id, text in (("i9", typed), (f"answer:{ANSWER.public_id}", ANSWER.text)):
        planned = lines[line_id]
        assert planned["text"] == text
        assert (planned.get("tone"), planned.get("voice_rate"), planned.get("voice_pitch")) == ("calm", rate, pitch)
        spoken = [x for x in spy.lines if x["text"] == text]
        assert spoken, f"{line_id} was not spoken"
        assert (spoken[0]["speed"], spoken[0]["pitch"]) == (rate, pitch)
