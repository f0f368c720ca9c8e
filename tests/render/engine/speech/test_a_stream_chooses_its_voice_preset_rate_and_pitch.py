"""Per-stream voice choice: backend, preset, rate and pitch, checked against what the API offers; pitch moves the
voice's frequencies without changing how long it speaks, and the timings follow the audio."""

from __future__ import annotations

import numpy as np
import pytest

from render.engine.options import VOICE_PITCH_RANGE, VOICE_RATE_RANGE
from render.engine.speech import Speech, synthesize
from render.engine.speech.voice import VoiceChoice, VoiceChoiceError
from render.engine.stream import StreamConfig, StreamConfigError


def _median_f0_hz(pcm: np.ndarray, rate: int) -> float:
    """Median fundamental over the loud 40 ms frames, from the autocorrelation peak between 60 and 400 Hz."""
    size = round(0.04 * rate)
    frames = [pcm[i : i + size].astype(np.float64) for i in range(0, len(pcm) - size, size)]
    loud = [f for f in frames if np.sqrt(np.mean(f**2)) > 0.3 * max(np.sqrt(np.mean(g**2)) for g in frames)]
    lo, hi = rate // 400, rate // 60
    f0 = []
    for frame in loud:
        frame = frame - frame.mean()
        corr = np.correlate(frame, frame, "full")[size - 1 :]
        f0.append(rate / (lo + int(np.argmax(corr[lo:hi]))))
    return float(np.median(f0))


def test_pitch_raises_the_voice_and_keeps_its_length() -> None:
    plain = synthesize("Tap follow for more.", language="en", backend="espeak")
    higher = synthesize("Tap follow for more.", language="en", backend="espeak", pitch=1.15)
    assert abs(higher.duration_s - plain.duration_s) / plain.duration_s < 0.05
    ratio = _median_f0_hz(higher.pcm, higher.sample_rate) / _median_f0_hz(plain.pcm, plain.sample_rate)
    assert 1.08 < ratio < 1.22
    assert higher.phonemes[-1].end_s == pytest.approx(higher.duration_s)
    assert [u.symbol for u in higher.phonemes] == [u.symbol for u in plain.phonemes]


def _spoken_span_s(speech: Speech) -> float:
    spoken = [unit for unit in speech.phonemes if unit.symbol != "sil"]
    return spoken[-1].end_s - spoken[0].start_s


def test_rate_makes_the_neural_voice_faster() -> None:
    text = "这款面霜特别适合干性皮肤，现在下单立减五十元"
    normal = synthesize(text, language="zh", backend="kokoro", voice="jf_alpha")
    faster = synthesize(text, language="zh", backend="kokoro", voice="jf_alpha", speed=1.3)
    assert faster.voice == "jf_alpha"
    # Not a full 1/1.3: the model rounds each token to whole 25 ms frames, at least one each.
    assert _spoken_span_s(faster) < 0.88 * _spoken_span_s(normal)


def test_the_choice_is_checked_against_the_options() -> None:
    VoiceChoice("kokoro", "jm_kumo", rate=1.2, pitch=0.9).check()
    with pytest.raises(VoiceChoiceError) as preset:
        VoiceChoice("kokoro", "af_heart").check()
    assert preset.value.code == "unknown_voice"
    with pytest.raises(VoiceChoiceError) as rate:
        VoiceChoice("kokoro", rate=VOICE_RATE_RANGE[1] + 0.1).check()
    assert rate.value.code == "bad_voice_rate"
    with pytest.raises(VoiceChoiceError) as backend:
        VoiceChoice("festival").check()
    assert backend.value.code == "unknown_tts_backend"


def test_a_stream_config_refuses_a_voice_it_cannot_speak_with() -> None:
    assert StreamConfig(tts_backend="kokoro", voice="jf_nezumi", voice_pitch=1.1).voice_pitch == 1.1
    with pytest.raises(StreamConfigError) as caught:
        StreamConfig(tts_backend="kokoro", voice_pitch=VOICE_PITCH_RANGE[0] - 0.1)
    assert caught.value.code == "bad_voice_pitch"
