"""Broadcast loudness: ITU-R BS.1770-4 / EBU R128 measurement, true peak, and per-utterance normalisation.

A live stream has no end, so the whole programme can never be measured before it airs. Instead every utterance (the
opening disclosure, each script line) is normalised on its own, from its TTS output, before it is cut into 2 s
segments: gain to `TARGET_LUFS` integrated, then a look-ahead true-peak limiter to `LIMIT_DBTP`. The result depends
only on that utterance's samples, so a resumed stream gets the same bytes, and a programme made of such utterances
and silence measures `TARGET_LUFS` integrated too (silence is below the absolute gate).

Loudness is of what the listener gets: the mono voice is published on both stereo channels, and BS.1770 sums the
channels' powers, so a mono utterance is measured as `channels` identical channels (+3.01 dB for stereo).

True peak is measured on the signal oversampled ×4 (BS.1770-4 Annex 2) with the engine's windowed-sinc resampler.
The limiter aims `LIMIT_MARGIN_DB` under the −1 dBTP ceiling because AAC coding moves peaks a little.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from render.engine.speech.audio import resample
from render.engine.speech.types import FloatArray, Speech

TARGET_LUFS = -16.0  # EBU R128 / streaming platforms' target for programme loudness
MAX_TRUE_PEAK_DBTP = -1.0
LIMIT_MARGIN_DB = 0.5  # head room for AAC's peak overshoot
LIMIT_DBTP = MAX_TRUE_PEAK_DBTP - LIMIT_MARGIN_DB
OVERSAMPLING = 4
_BLOCK_S, _STEP_S = 0.4, 0.1  # gating blocks of 400 ms, 75 % overlap
_ABSOLUTE_GATE_LUFS = -70.0
_RELATIVE_GATE_LU = -10.0
_LOOKAHEAD_S = 0.005  # the limiter reaches full reduction 5 ms before a peak
_RELEASE_S = 0.05


def _biquad(x: np.ndarray, b: tuple[float, float, float], a: tuple[float, float, float]) -> np.ndarray:
    from scipy.signal import lfilter

    return np.asarray(lfilter(b, a, x), dtype=np.float64)


def k_weighted(pcm: FloatArray, sample_rate: int) -> np.ndarray:
    """BS.1770-4 K-weighting (pre-filter high shelf + RLB high pass), derived for any sample rate (libebur128's
    formulation; at 48 kHz it gives the coefficients printed in the Recommendation)."""
    x = np.asarray(pcm, dtype=np.float64)
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / sample_rate)
    vh = 10 ** (gain_db / 20)
    vb = vh**0.4996667741545416
    a0 = 1 + k / q + k * k
    shelf_b = ((vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0)
    shelf_a = (1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0)
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / sample_rate)
    a0 = 1 + k / q + k * k
    high_a = (1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0)
    return _biquad(_biquad(x, shelf_b, shelf_a), (1.0, -2.0, 1.0), high_a)


def integrated_loudness(pcm: FloatArray, sample_rate: int, *, channels: int = 1) -> float:
    """Gated integrated loudness in LUFS of `pcm` played on `channels` identical channels; -inf for silence."""
    y = k_weighted(pcm, sample_rate) ** 2
    block, step = round(_BLOCK_S * sample_rate), round(_STEP_S * sample_rate)
    if len(y) == 0:
        return -math.inf
    cumulative = np.concatenate([[0.0], np.cumsum(y)])
    if len(y) < block:  # shorter than one gating block: the whole utterance is the block
        powers = np.array([cumulative[-1] / len(y)])
    else:
        starts = np.arange(0, len(y) - block + 1, step)
        powers = (cumulative[starts + block] - cumulative[starts]) / block
    powers = powers * channels
    with np.errstate(divide="ignore"):
        loud = -0.691 + 10 * np.log10(powers)
    kept = powers[loud > _ABSOLUTE_GATE_LUFS]
    if kept.size == 0:
        return -math.inf
    relative = -0.691 + 10 * math.log10(float(kept.mean())) + _RELATIVE_GATE_LU
    with np.errstate(divide="ignore"):
        final = kept[-0.691 + 10 * np.log10(kept) > relative]
    return -0.691 + 10 * math.log10(float(final.mean()))


def _oversampled_abs(pcm: FloatArray, sample_rate: int) -> np.ndarray:
    return np.abs(resample(np.asarray(pcm, np.float32), sample_rate, OVERSAMPLING * sample_rate)).astype(np.float64)


def true_peak_dbtp(pcm: FloatArray, sample_rate: int) -> float:
    """True peak (×4 oversampled) in dBTP; -inf for silence."""
    x = np.asarray(pcm, np.float32)
    if x.size == 0:
        return -math.inf
    peak = max(float(_oversampled_abs(x, sample_rate).max()), float(np.abs(x).max()))
    return 20 * math.log10(peak) if peak > 0 else -math.inf


def limit_true_peak(pcm: FloatArray, sample_rate: int, *, ceiling_dbtp: float = LIMIT_DBTP) -> FloatArray:
    """A look-ahead peak limiter: a smooth gain curve that keeps the ×4-oversampled peak under the ceiling.

    Offline and symmetric (the utterance is whole before it airs): the gain each sample needs is spread by a minimum
    filter over ±(look-ahead + release) and smoothed by a moving average no longer than that, so the smoothed gain is
    never above what any sample within reach needs. Samples that need no reduction keep gain 1.
    """
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    x = np.asarray(pcm, np.float32)
    if x.size == 0:
        return x.copy()
    ceiling = 10 ** (ceiling_dbtp / 20)
    over = _oversampled_abs(x, sample_rate)
    # The largest oversampled value around each input sample (the 4 sub-samples that follow it and the 4 before).
    n = len(x)
    per_sample = np.maximum(np.abs(x).astype(np.float64), 0.0)
    padded = np.concatenate([over, np.zeros(OVERSAMPLING * n + OVERSAMPLING - len(over))])
    blocks = padded[: OVERSAMPLING * n].reshape(n, OVERSAMPLING).max(axis=1)
    per_sample = np.maximum(per_sample, np.maximum(blocks, np.concatenate([[0.0], blocks[:-1]])))
    need = np.minimum(1.0, ceiling / np.maximum(per_sample, 1e-12))
    if need.min() >= 1.0:
        return x.copy()
    smooth = max(1, round(_LOOKAHEAD_S * sample_rate)) * 2 + 1
    reach = smooth // 2 + max(1, round(_RELEASE_S * sample_rate))
    held = minimum_filter1d(need, size=2 * reach + 1, mode="nearest")
    gain = uniform_filter1d(held, size=smooth, mode="nearest")
    gain = np.minimum(gain, held)  # float rounding of the average never lets a peak through
    return (x * gain).astype(np.float32)


def normalize_utterance(
    pcm: FloatArray,
    sample_rate: int,
    *,
    target_lufs: float = TARGET_LUFS,
    ceiling_dbtp: float = LIMIT_DBTP,
    channels: int = 2,
) -> FloatArray:
    """One utterance at `target_lufs` integrated (as heard on `channels` identical channels), true peak under the
    ceiling. Deterministic: a function of the samples only. Silence comes back unchanged."""
    x = np.asarray(pcm, np.float32)
    measured = integrated_loudness(x, sample_rate, channels=channels)
    if not math.isfinite(measured):
        return x.copy()
    gain_db = target_lufs - measured
    out = x
    for _ in range(4):  # limiting lowers the loudness a little; re-aim the gain before the limiter
        out = limit_true_peak(x * np.float32(10 ** (gain_db / 20)), sample_rate, ceiling_dbtp=ceiling_dbtp)
        error = target_lufs - integrated_loudness(out, sample_rate, channels=channels)
        if abs(error) < 0.05:
            break
        gain_db += error
    peak = true_peak_dbtp(out, sample_rate)
    if peak > ceiling_dbtp:  # the limiter's smoothing is conservative; this catches what resampling rounding adds
        out = (out * np.float32(10 ** ((ceiling_dbtp - peak) / 20))).astype(np.float32)
    return out


def normalized_speech(speech: Speech, sample_rate: int, *, channels: int = 2) -> Speech:
    """`speech` resampled to `sample_rate` (timings kept) and normalised as one utterance (`normalize_utterance`)."""
    from render.engine.speech.audio import concatenate

    at_rate = concatenate([speech], pause_s=0.0, sample_rate=sample_rate)
    return replace(at_rate, pcm=normalize_utterance(at_rate.pcm, sample_rate, channels=channels))
