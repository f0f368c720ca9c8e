from __future__ import annotations

import numpy as np
import pytest

from render.engine.speech import DISCLOSURE_TEXT, UnspeakableText, disclosure_speech, rhythm_label, stream_opening
from render.engine.speech.disclosure import characters_per_minute


def test_the_mandarin_notice_says_the_stream_is_ai_generated_at_a_normal_rate() -> None:
    speech = disclosure_speech("zh")
    assert speech.text == "本直播由人工智能生成"
    assert speech.language == "zh"
    assert "(en)" not in speech.transcription
    # rules.md CN-GB-AUDIO: about 120-160 Chinese characters per minute.
    assert 120 <= characters_per_minute(speech) <= 160


def test_the_english_notice_is_spoken_in_english() -> None:
    speech = disclosure_speech("en")
    assert speech.text == DISCLOSURE_TEXT["en"] == "This livestream is AI-generated."
    symbols = [unit.symbol for unit in speech.phonemes]
    assert "ð" in symbols
    assert "dʒ" in symbols


def test_the_notice_is_made_once_per_process() -> None:
    assert disclosure_speech("zh") is disclosure_speech("zh")
    with pytest.raises(ValueError, match="read-only"):
        disclosure_speech("zh").pcm[0] = 1.0


def test_the_notice_refuses_an_unsupported_language() -> None:
    with pytest.raises(UnspeakableText) as error:
        disclosure_speech("fr")
    assert error.value.reason == "unsupported_language"


def test_the_stream_opening_puts_the_rhythm_label_before_both_notices() -> None:
    rate = 48_000
    opening = stream_opening("zh+en", rhythm=True, sample_rate=rate)
    tone = rhythm_label(rate)
    assert opening.sample_rate == rate
    np.testing.assert_allclose(opening.pcm[: len(tone)], tone, atol=1e-6)
    # The lips stay closed during the tone, then the Mandarin notice is spoken before the English one.
    assert opening.visemes[0].symbol == "sil"
    assert opening.visemes[0].end_s >= len(tone) / rate - 1e-9
    assert opening.text.index("本直播") < opening.text.index("This livestream")
    zh, en = disclosure_speech("zh"), disclosure_speech("en")
    assert opening.duration_s > len(tone) / rate + zh.duration_s + en.duration_s


def test_the_stream_opening_without_rhythm_starts_with_the_speech() -> None:
    opening = stream_opening("en")
    assert opening.duration_s == pytest.approx(disclosure_speech("en").duration_s, abs=1e-3)
