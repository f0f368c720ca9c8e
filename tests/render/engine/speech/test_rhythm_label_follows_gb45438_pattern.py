from __future__ import annotations

import numpy as np
import pytest

from render.engine.speech import RHYTHM_PATTERN, rhythm_label
from render.engine.speech.disclosure import RHYTHM_TONE_HZ, RHYTHM_UNIT_S


def _runs(pcm: np.ndarray, sample_rate: int) -> list[tuple[bool, float]]:
    """(tone on?, seconds) runs, from a 1 ms envelope."""
    block = sample_rate // 1000
    usable = len(pcm) // block * block
    loud = np.abs(pcm[:usable]).reshape(-1, block).max(axis=1) > 0.01
    runs: list[tuple[bool, float]] = []
    for value in loud:
        if runs and runs[-1][0] == bool(value):
            runs[-1] = (runs[-1][0], runs[-1][1] + 0.001)
        else:
            runs.append((bool(value), 0.001))
    return runs


@pytest.mark.parametrize("sample_rate", [48_000, 22_050, 44_100])
def test_it_beeps_short_long_short_short_with_morse_timing(sample_rate: int) -> None:
    pcm = rhythm_label(sample_rate)
    runs = _runs(pcm, sample_rate)
    # · — · · ("AI"), then a word gap so the content starts after the label, not on top of it.
    assert [on for on, _ in runs] == [True, False, True, False, True, False, True, False]
    expected_ms = [100, 100, 300, 300, 100, 100, 100, 700]
    measured_ms = [seconds * 1000 for _, seconds in runs]
    # The 5 ms fade edges dip under the detection threshold for about a millisecond each.
    assert measured_ms == pytest.approx(expected_ms, abs=3)
    assert len(pcm) == round(1.8 * sample_rate)


def test_the_pattern_is_itu_morse_for_a_then_i() -> None:
    tones = [units for on, units in RHYTHM_PATTERN if on]
    gaps = [units for on, units in RHYTHM_PATTERN if not on]
    assert tones == [1, 3, 1, 1]  # dot dash, dot dot
    assert gaps == [1, 3, 1, 7]  # inside a letter, between letters, inside a letter, word gap
    assert RHYTHM_UNIT_S == 0.1


def test_the_tone_is_a_clean_one_kilohertz_sine_below_full_scale() -> None:
    sample_rate = 48_000
    pcm = rhythm_label(sample_rate)
    dash = pcm[int(0.21 * sample_rate) : int(0.49 * sample_rate)]
    spectrum = np.abs(np.fft.rfft(dash * np.hanning(len(dash))))
    peak_hz = np.argmax(spectrum) * sample_rate / len(dash)
    assert peak_hz == pytest.approx(RHYTHM_TONE_HZ, abs=5)
    assert 0.45 < float(np.abs(pcm).max()) < 0.55  # -6 dBFS
    assert float(np.abs(pcm[0])) < 1e-3  # fades in, no click
