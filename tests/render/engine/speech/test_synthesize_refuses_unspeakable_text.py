from __future__ import annotations

import pytest

from render.engine.speech import SpeechError, UnspeakableText, synthesize
from render.engine.speech.text import MAX_TEXT_CHARS


@pytest.mark.parametrize(
    ("text", "language", "reason"),
    [
        ("", "zh", "empty"),
        ("   \n\t ", "en", "empty"),
        ("😀🎉🔥", "zh", "empty"),
        ("……！？。，", "zh", "nothing_to_say"),
        ("?!... --", "en", "nothing_to_say"),
        ("Bonjour à tous", "fr", "unsupported_language"),
        ("欢迎", "ja", "unsupported_language"),
        ("a" * (MAX_TEXT_CHARS + 1), "en", "too_long"),
        ("欢迎来到直播间", "en", "wrong_script"),
    ],
)
def test_it_refuses_text_it_cannot_speak_with_a_reason(text: str, language: str, reason: str) -> None:
    with pytest.raises(UnspeakableText) as error:
        synthesize(text, language=language)
    assert error.value.reason == reason
    assert error.value.message


def test_it_drops_emoji_but_speaks_the_words_around_them() -> None:
    speech = synthesize("Hello 👋 friends 🎉", language="en")
    assert speech.text == "Hello friends"
    assert len([u for u in speech.phonemes if u.symbol != "sil"]) >= 8


def test_it_speaks_digits_and_prices() -> None:
    speech = synthesize("50", language="zh")
    assert speech.duration_s > 0.3
    assert "(en)" not in speech.transcription


def test_it_accepts_exactly_the_maximum_length() -> None:
    speech = synthesize("好" * MAX_TEXT_CHARS, language="zh", speed=2.0)
    assert speech.duration_s > 10


def test_it_refuses_a_speed_the_engine_cannot_reach() -> None:
    with pytest.raises(SpeechError, match="words/min"):
        synthesize("你好", language="zh", speed=4.0)
