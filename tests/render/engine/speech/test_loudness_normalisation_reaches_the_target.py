from __future__ import annotations

import numpy as np
import pytest

from render.engine.speech import normalize_loudness, synthesize


def _dbfs(pcm: np.ndarray) -> float:
    return 20 * float(np.log10(np.sqrt(np.mean(np.square(pcm, dtype=np.float64)))))


def test_quiet_and_loud_speech_end_up_at_the_same_level() -> None:
    speech = synthesize("Tap follow for more deals.", language="en")
    quiet = speech.pcm * 0.05
    loud = speech.pcm * 0.9
    a = normalize_loudness(quiet, speech.sample_rate, target_dbfs=-20)
    b = normalize_loudness(loud, speech.sample_rate, target_dbfs=-20)
    np.testing.assert_allclose(a, b, atol=1e-5)


def test_pauses_do_not_make_speech_louder() -> None:
    speech = synthesize("现在下单", language="zh")
    padded = np.concatenate([speech.pcm, np.zeros(speech.sample_rate * 3, np.float32)])
    plain = normalize_loudness(speech.pcm, speech.sample_rate)
    with_pause = normalize_loudness(padded, speech.sample_rate)
    assert float(np.abs(with_pause).max()) == pytest.approx(float(np.abs(plain).max()), rel=1e-4)


def test_the_peak_never_exceeds_the_ceiling() -> None:
    rate = 48_000
    spiky = np.zeros(rate, np.float32)
    spiky[::4800] = 0.3  # sparse clicks: reaching -10 dBFS RMS would need a huge gain
    out = normalize_loudness(spiky, rate, target_dbfs=-10, peak_dbfs=-1)
    assert float(np.abs(out).max()) == pytest.approx(10 ** (-1 / 20), rel=1e-4)


def test_silence_stays_silent() -> None:
    out = normalize_loudness(np.zeros(1000, np.float32), 48_000)
    assert not out.any()


def test_speech_lands_on_the_target_rms() -> None:
    speech = synthesize("欢迎来到直播间", language="zh")
    out = normalize_loudness(speech.pcm, speech.sample_rate, target_dbfs=-23, peak_dbfs=0)
    assert _dbfs(out) < -23  # gated RMS ignores pauses, so the whole-file RMS is a little lower
    assert _dbfs(out) > -30
