"""Mouth tracks per video frame, the lip-sync engine's input: `ndarray[frames, 3]` of (jaw_open, lip_width,
lip_round), each 0-1, in the order of `visemes.MOUTH_PARAMS`.

From visemes (`mouth_track`): coarticulation follows the dominance model of Cohen & Massaro (1993). Each viseme
pulls the mouth towards its shape with a weight that is full inside its interval and falls off as a Gaussian outside
it: slowly *before* it (anticipation: lips round for "u" and close for "m" while the previous sound is still playing;
the fall-off reaches about `lookahead_s`, default 80 ms) and faster after it (carry-over). Each parameter is the
dominance-weighted mean of the targets. Strong visemes (bilabial closure, labiodental contact) have high dominance,
so a 50 ms "m" between two vowels still closes the lips, while tongue consonants barely disturb the vowels around
them; this is what keeps the mouth from chattering at phoneme rate. A closure that falls between two frame times is
widened to the nearest frame, so every /p b m/ closes the lips in at least one frame.

From audio only (`envelope_mouth_track`): the fallback for recorded audio without phonemes (an influencer's own
voice). Jaw opening follows the RMS envelope in dB with a fast attack and slower release; lip shape stays neutral.

Frame f covers [f/fps, (f+1)/fps) and is sampled at its centre; there are ceil(duration * fps) frames, the same count
`audio.segment_windows` uses.
"""

from __future__ import annotations

import math

import numpy as np

from render.engine.speech.types import FloatArray, Speech, TimedUnit
from render.engine.speech.visemes import MOUTH_PARAMS, MOUTH_SHAPES

_CLOSURES = frozenset({"PP", "FF"})
# The Gaussian fall-off is evaluated out to this many widths, beyond which the weight is < 0.02 %.
_REACH = 3.0


def frame_count(duration_s: float, fps: int) -> int:
    return math.ceil(round(duration_s * fps, 6))


def frame_times(frames: int, fps: int) -> FloatArray:
    return ((np.arange(frames) + 0.5) / fps).astype(np.float32)


def mouth_track(
    speech: Speech,
    fps: int,
    *,
    lookahead_s: float = 0.08,
    carryover_s: float = 0.05,
) -> FloatArray:
    """Per-frame mouth parameters from the speech's viseme timings, with coarticulation smoothing."""
    if fps <= 0:
        raise ValueError("fps must be positive")
    frames = frame_count(speech.duration_s, fps)
    return _blend(speech.visemes, frame_times(frames, fps).astype(np.float64), fps, lookahead_s, carryover_s)


def _blend(
    visemes: tuple[TimedUnit, ...], times: np.ndarray, fps: int, lookahead_s: float, carryover_s: float
) -> FloatArray:
    k = len(MOUTH_PARAMS)
    weighted = np.zeros((len(times), k))
    total = np.zeros(len(times))
    # Width of the Gaussian tail: the weight is e^-4 (2 %) at the look-ahead / carry-over distance.
    before, after = lookahead_s / 2, carryover_s / 2
    for viseme in visemes:
        shape = MOUTH_SHAPES[viseme.symbol]
        start, end = viseme.start_s, viseme.end_s
        if viseme.symbol in _CLOSURES:
            start, end = _cover_a_frame(start, end, fps)
        lo = int(np.searchsorted(times, start - _REACH * before))
        hi = int(np.searchsorted(times, end + _REACH * after, side="right"))
        if hi <= lo:
            continue
        t = times[lo:hi]
        distance = np.where(t < start, (start - t) / before, np.where(t > end, (t - end) / after, 0.0))
        weight = shape.dominance * np.exp(-np.square(distance))
        weighted[lo:hi] += weight[:, None] * np.array([shape.jaw_open, shape.lip_width, shape.lip_round])
        total[lo:hi] += weight
    rest = MOUTH_SHAPES["sil"]
    track = np.empty((len(times), k))
    covered = total > 1e-9
    track[covered] = weighted[covered] / total[covered, None]
    track[~covered] = [rest.jaw_open, rest.lip_width, rest.lip_round]
    return track.astype(np.float32)


def _cover_a_frame(start: float, end: float, fps: int) -> tuple[float, float]:
    """Widen [start, end] to include the nearest frame centre if it contains none."""
    first_centre = math.ceil(start * fps - 0.5) + 0.5
    if first_centre / fps <= end:
        return start, end
    centre = (math.floor((start + end) / 2 * fps - 0.5) + 0.5) / fps
    nearest = min((centre, centre + 1 / fps), key=lambda c: abs(c - (start + end) / 2))
    return min(start, nearest), max(end, nearest)


def envelope_mouth_track(
    pcm: FloatArray,
    sample_rate: int,
    fps: int,
    *,
    floor_db: float = -45.0,
    open_db: float = -12.0,
    attack_s: float = 0.015,
    release_s: float = 0.06,
) -> FloatArray:
    """Mouth track from loudness alone: jaw_open rises from `floor_db` to `open_db` (relative to the loudest frame)."""
    if fps <= 0 or sample_rate <= 0:
        raise ValueError("fps and sample_rate must be positive")
    x = np.asarray(pcm, dtype=np.float64)
    frames = frame_count(len(x) / sample_rate, fps)
    rest = MOUTH_SHAPES["sil"]
    track = np.tile(np.array([rest.jaw_open, rest.lip_width, rest.lip_round]), (frames, 1))
    if frames == 0:
        return track.astype(np.float32)
    # RMS over a window one frame long, centred on each frame's centre.
    window = max(1, round(sample_rate / fps))
    centres = np.round(frame_times(frames, fps) * sample_rate).astype(np.int64)
    cumulative = np.concatenate([[0.0], np.cumsum(np.square(x))])
    lo = np.clip(centres - window // 2, 0, len(x))
    hi = np.clip(centres + window // 2, 0, len(x))
    energy = (cumulative[hi] - cumulative[lo]) / np.maximum(hi - lo, 1)
    if energy.max() <= 0:
        return track.astype(np.float32)
    level = 10 * np.log10(np.maximum(energy, 1e-12) / energy.max())
    target = np.clip((level - floor_db) / (open_db - floor_db), 0.0, 1.0)
    # One-pole smoothing: opening follows quickly, closing lags a little, as a jaw does.
    up = 1 - math.exp(-1 / (attack_s * fps))
    down = 1 - math.exp(-1 / (release_s * fps))
    smoothed = np.empty(frames)
    value = 0.0
    for i, goal in enumerate(target):
        value += (goal - value) * (up if goal > value else down)
        smoothed[i] = value
    open_shape = MOUTH_SHAPES["E"]
    track[:, 0] = rest.jaw_open + smoothed * (open_shape.jaw_open + 0.2 - rest.jaw_open)
    return track.astype(np.float32)
