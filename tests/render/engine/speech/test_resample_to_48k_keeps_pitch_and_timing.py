from __future__ import annotations

import math

import numpy as np
import pytest

from render.engine.speech import resample


def _tone(hz: float, seconds: float, rate: int) -> np.ndarray:
    return (0.5 * np.sin(2 * np.pi * hz * np.arange(round(seconds * rate)) / rate)).astype(np.float32)


@pytest.mark.parametrize("from_rate", [22_050, 16_000, 24_000, 44_100])
def test_it_gives_the_exact_length_and_keeps_a_tone_s_pitch_and_level(from_rate: int) -> None:
    pcm = _tone(1000.0, 1.0, from_rate)
    out = resample(pcm, from_rate, 48_000)
    assert out.dtype == np.float32
    assert len(out) == math.ceil(len(pcm) * 48_000 / from_rate)
    middle = out[4_800:-4_800]
    spectrum = np.abs(np.fft.rfft(middle * np.hanning(len(middle))))
    assert np.argmax(spectrum) * 48_000 / len(middle) == pytest.approx(1000.0, abs=2)
    assert float(np.abs(middle).max()) == pytest.approx(0.5, rel=0.01)


def test_it_has_no_delay() -> None:
    pcm = np.zeros(22_050, np.float32)
    pcm[11_025] = 1.0  # a click at 0.5 s
    out = resample(pcm, 22_050, 48_000)
    assert abs(int(np.argmax(out)) - 24_000) <= 1


def test_it_removes_what_the_new_rate_cannot_hold() -> None:
    pcm = _tone(15_000.0, 1.0, 44_100)
    out = resample(pcm, 44_100, 16_000)
    assert float(np.sqrt(np.mean(np.square(out[1000:-1000])))) < 0.01


def test_same_rate_and_empty_input_pass_through() -> None:
    pcm = _tone(440.0, 0.1, 48_000)
    np.testing.assert_array_equal(resample(pcm, 48_000, 48_000), pcm)
    assert resample(np.zeros(0, np.float32), 22_050).size == 0
