"""The spoken AI disclosure opens the stream in the voice the stream's lines use (backend, preset, pitch), so no
voice is heard before viewers are told it is AI; the Mandarin notice keeps the notice rate of about 140 characters
per minute whatever the voice."""

from __future__ import annotations

from render.engine.speech import disclosure_speech, stream_opening
from render.engine.speech.disclosure import TARGET_ZH_CHARS_PER_MINUTE, characters_per_minute


def test_the_opening_is_spoken_by_the_chosen_backend_and_preset() -> None:
    opening = stream_opening("zh+en", backend="kokoro", voice="jf_alpha", sample_rate=48_000)
    assert opening.backend == "kokoro"
    assert opening.voice == "jf_alpha"
    assert opening.sample_rate == 48_000
    assert "本直播由人工智能生成" in opening.text
    assert "AI-generated" in opening.text


def test_each_voice_has_its_own_notice_at_the_notice_rate() -> None:
    neural = disclosure_speech("zh", backend="kokoro")
    robotic = disclosure_speech("zh")
    assert neural is not robotic
    assert (neural.backend, robotic.backend) == ("kokoro", "espeak")
    assert abs(characters_per_minute(neural) - TARGET_ZH_CHARS_PER_MINUTE) <= 10


def test_the_notice_takes_the_streams_pitch() -> None:
    assert disclosure_speech("en", backend="kokoro", pitch=1.1) is not disclosure_speech("en", backend="kokoro")
