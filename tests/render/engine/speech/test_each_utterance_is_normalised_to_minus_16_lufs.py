"""Per-utterance loudness: every script line's TTS output is brought to -16 LUFS integrated (as heard on stereo) with
its true peak under -1 dBTP, whatever level the TTS produced; the BS.1770 meter agrees with ffmpeg's ebur128."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from render.engine.speech import resample, synthesize
from render.engine.speech.loudness import (
    MAX_TRUE_PEAK_DBTP,
    TARGET_LUFS,
    integrated_loudness,
    normalize_utterance,
    true_peak_dbtp,
)
from tests.render.engine.outside_tools import ebur128

RATE = 48_000


def _line(text: str, language: str) -> np.ndarray:
    speech = synthesize(text, language=language)
    return resample(speech.pcm, speech.sample_rate, RATE)


def test_a_full_scale_1khz_tone_measures_minus_3_lufs_on_one_channel() -> None:
    t = np.arange(RATE * 3) / RATE
    tone = np.sin(2 * np.pi * 997 * t).astype(np.float32)
    assert integrated_loudness(tone, RATE) == pytest.approx(-3.01, abs=0.05)
    assert integrated_loudness(tone, RATE, channels=2) == pytest.approx(-0.0, abs=0.05)


@pytest.mark.parametrize("level", [0.05, 1.0])
@pytest.mark.parametrize(("text", "language"), [("大家好，欢迎来到直播间", "zh"), ("Tap follow for more deals.", "en")])
def test_quiet_and_loud_lines_end_at_the_target_under_the_peak_ceiling(text: str, language: str, level: float) -> None:
    pcm = _line(text, language) * np.float32(level)
    out = normalize_utterance(pcm, RATE)
    assert integrated_loudness(out, RATE, channels=2) == pytest.approx(TARGET_LUFS, abs=0.3)
    assert true_peak_dbtp(out, RATE) <= MAX_TRUE_PEAK_DBTP - 0.4
    assert np.array_equal(out, normalize_utterance(pcm, RATE))  # deterministic: a resumed stream gets the same


def test_silence_stays_silent() -> None:
    silence = np.zeros(RATE, np.float32)
    assert np.array_equal(normalize_utterance(silence, RATE), silence)


def test_ffmpeg_ebur128_agrees_with_the_meter(tmp_path: Path) -> None:
    out = normalize_utterance(_line("今天的直播价格只要九十九元。", "zh"), RATE)
    stereo = np.repeat(np.clip(out * 32767, -32768, 32767).astype(np.int16)[:, None], 2, axis=1)
    path = tmp_path / "line.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(stereo.tobytes())
    subprocess.run(["ffprobe", "-v", "error", str(path)], check=True)
    integrated, peak = ebur128(path)
    assert integrated == pytest.approx(TARGET_LUFS, abs=0.5)
    assert peak <= MAX_TRUE_PEAK_DBTP
