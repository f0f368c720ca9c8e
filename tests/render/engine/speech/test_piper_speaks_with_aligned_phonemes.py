from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from render.engine.speech import BackendUnavailable, UnspeakableText, synthesize
from render.engine.speech.piper_backend import PiperBackend


def _rms(pcm: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(pcm, dtype=np.float64)))) if pcm.size else 0.0


def test_it_speaks_english_from_the_user_given_model_path(joe_model: Path) -> None:
    speech = synthesize("Hello, welcome to my shop.", language="en", backend="piper", voice=str(joe_model))
    assert speech.backend == "piper"
    assert speech.voice == "en_US-joe-medium.onnx"
    assert speech.sample_rate == 22050
    assert 1.0 < speech.duration_s < 4.0
    symbols = [unit.symbol for unit in speech.phonemes if unit.symbol != "sil"]
    assert symbols[:3] == ["h", "ə", "l"]
    assert "ʃ" in symbols  # shop
    assert "ˈɛ" in symbols  # stress marks stay with the vowel they stress, never a phoneme of their own
    assert "ˈ" not in symbols


def test_its_alignments_cover_the_audio_exactly_and_match_the_sound(joe_model: Path) -> None:
    speech = synthesize("Thank you. Follow me, please.", language="en", backend="piper", voice=str(joe_model))
    assert speech.phonemes[0].start_s == 0.0
    assert abs(speech.phonemes[-1].end_s - speech.duration_s) < 1e-9
    assert all(a.end_s == b.start_s for a, b in zip(speech.phonemes, speech.phonemes[1:], strict=False))
    # The model's durations are real: pauses it reports are much quieter than the vowels it reports.
    sr = speech.sample_rate
    pauses = [u for u in speech.phonemes if u.symbol == "sil" and u.duration_s > 0.08]
    vowels = [u for u in speech.phonemes if u.symbol.strip("ˈˌ") in {"æ", "u", "ɑː", "oʊ", "i", "ɛ", "ɪ", "ə"}]
    assert pauses
    assert vowels
    pause_rms = np.median([_rms(speech.pcm[round(u.start_s * sr) : round(u.end_s * sr)]) for u in pauses])
    vowel_rms = np.median([_rms(speech.pcm[round(u.start_s * sr) : round(u.end_s * sr)]) for u in vowels])
    assert vowel_rms > 5 * pause_rms


def test_it_refuses_a_language_the_voice_does_not_speak(joe_model: Path) -> None:
    with pytest.raises(UnspeakableText) as error:
        synthesize("欢迎来到直播间", language="zh", backend="piper", voice=str(joe_model))
    assert error.value.reason == "unsupported_language"


def test_it_names_a_missing_model_file(tmp_path: Path) -> None:
    with pytest.raises(BackendUnavailable, match=r"not found: .*nowhere\.onnx"):
        synthesize("Hello", language="en", backend="piper", voice=str(tmp_path / "nowhere.onnx"))


def test_it_needs_a_model_path() -> None:
    with pytest.raises(BackendUnavailable, match="needs a model path"):
        synthesize("Hello", language="en", backend="piper")


def test_a_registered_house_voice_needs_no_path(joe_model: Path) -> None:
    backend = PiperBackend(name="piper-joe", model_path=joe_model)
    speech = backend.synthesize("Hi there.", language="en", voice=None, speed=1.0)
    assert speech.backend == "piper-joe"
    assert speech.duration_s > 0.3
