"""Audio utilities the compositor needs: 48 kHz resampling, concatenation with pauses, loudness normalisation and
splitting into segment windows that line up with video frames.

Everything works on mono float32 PCM in [-1, 1] (the `Speech.pcm` convention). Sample counts are computed with exact
rational arithmetic, so a long stream never drifts against the video by even one sample.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from render.engine.speech.types import SILENCE, FloatArray, Speech, units_from_boundaries

# AAC in the fMP4 segments is 48 kHz.
OUTPUT_RATE = 48_000
# Resampling filter: Kaiser-windowed sinc with this many zero crossings each side (scipy's resample_poly uses 10 too),
# beta 5 gives about 60 dB stopband, well below espeak/piper's own noise floor.
_HALF_ZERO_CROSSINGS = 10
_KAISER_BETA = 5.0
_BLOCK = 1 << 16


def resample(pcm: FloatArray, from_rate: int, to_rate: int = OUTPUT_RATE) -> FloatArray:
    """Polyphase windowed-sinc resampling by the exact ratio to_rate/from_rate, with zero delay.

    The output has ceil(len * to_rate / from_rate) samples, and output sample n sits at input time n / to_rate.
    """
    if from_rate <= 0 or to_rate <= 0:
        raise ValueError("sample rates must be positive")
    x = np.asarray(pcm, dtype=np.float32)
    if from_rate == to_rate or x.size == 0:
        return x.copy()
    g = math.gcd(from_rate, to_rate)
    up, down = to_rate // g, from_rate // g
    phases = _phase_table(up, down)  # [up, taps]
    taps = phases.shape[1]
    half = _HALF_ZERO_CROSSINGS * max(up, down)
    out_len = -(-len(x) * up // down)
    padded = np.concatenate([np.zeros(taps, np.float32), x, np.zeros(taps, np.float32)])
    out = np.empty(out_len, np.float32)
    offsets = np.arange(taps)
    for begin in range(0, out_len, _BLOCK):
        n = np.arange(begin, min(begin + _BLOCK, out_len), dtype=np.int64)
        position = n * down + half
        newest = position // up  # the latest input sample that contributes
        phase = position % up
        # x[newest - t] for t in 0..taps-1, shifted by the leading zero padding.
        gathered = padded[(newest + taps)[:, None] - offsets[None, :]]
        out[begin : begin + len(n)] = np.einsum("nt,nt->n", gathered, phases[phase])
    return out


def _phase_table(up: int, down: int) -> FloatArray:
    factor = max(up, down)
    half = _HALF_ZERO_CROSSINGS * factor
    j = np.arange(2 * half + 1, dtype=np.float64) - half
    cutoff = 1.0 / factor  # fraction of the upsampled Nyquist frequency
    h = cutoff * np.sinc(cutoff * j) * np.kaiser(2 * half + 1, _KAISER_BETA) * up
    taps = -(-len(h) // up)
    h = np.concatenate([h, np.zeros(taps * up - len(h))])
    # phases[r, t] = h[r + t * up]
    return h.reshape(taps, up).T.astype(np.float32).copy()


def silence(seconds: float, sample_rate: int) -> FloatArray:
    return np.zeros(round(seconds * sample_rate), np.float32)


def speech_from_pcm(pcm: FloatArray, sample_rate: int, *, text: str = "", backend: str = "pcm") -> Speech:
    """Wrap non-speech audio (a rhythm tone, a jingle) as Speech whose mouth stays closed throughout."""
    samples = np.ascontiguousarray(pcm, dtype=np.float32)
    units = units_from_boundaries([SILENCE], [0], len(samples), sample_rate)
    return Speech(samples, sample_rate, units, language="", backend=backend, voice="", text=text)


def concatenate(parts: Sequence[Speech], *, pause_s: float = 0.3, sample_rate: int | None = None) -> Speech:
    """Join speech parts with `pause_s` of silence between them, resampling to one rate and keeping the timings."""
    if not parts:
        raise ValueError("nothing to concatenate")
    if pause_s < 0:
        raise ValueError("pause_s must not be negative")
    rate = sample_rate or parts[0].sample_rate
    pieces: list[FloatArray] = []
    symbols: list[str] = []
    starts: list[int] = []
    offset = 0
    for index, part in enumerate(parts):
        if index:
            gap = silence(pause_s, rate)
            symbols.append(SILENCE)
            starts.append(offset)
            pieces.append(gap)
            offset += len(gap)
        pcm = resample(part.pcm, part.sample_rate, rate)
        for unit in part.phonemes:
            symbols.append(unit.symbol)
            starts.append(offset + min(round(unit.start_s * rate), len(pcm)))
        pieces.append(pcm)
        offset += len(pcm)
    languages = {part.language for part in parts if part.language}
    return Speech(
        pcm=np.concatenate(pieces).astype(np.float32),
        sample_rate=rate,
        phonemes=units_from_boundaries(symbols, starts, offset, rate),
        language=languages.pop() if len(languages) == 1 else "mixed",
        backend="+".join(dict.fromkeys(part.backend for part in parts)),
        voice="+".join(dict.fromkeys(part.voice for part in parts if part.voice)),
        text=" ".join(part.text for part in parts if part.text),
        transcription=" ".join(part.transcription for part in parts if part.transcription),
    )


@dataclass(frozen=True)
class SegmentWindow:
    """The audio that belongs with video frames [first_frame, first_frame + frame_count)."""

    index: int
    first_frame: int
    frame_count: int
    start_sample: int
    pcm: FloatArray

    def start_s(self, sample_rate: int) -> float:
        return self.start_sample / sample_rate


def frame_sample(frame: int, *, fps: int, sample_rate: int) -> int:
    """The first audio sample of video frame `frame` (exact: floor(frame * sample_rate / fps))."""
    return math.floor(Fraction(frame * sample_rate, fps))


def segment_windows(
    pcm: FloatArray,
    *,
    fps: int,
    sample_rate: int = OUTPUT_RATE,
    segment_s: float = 2.0,
    pad_last: bool = True,
) -> list[SegmentWindow]:
    """Cut audio into windows of `segment_s` seconds of video frames (2 s = 50 frames at 25 fps, 60 at 30 fps).

    At 48 kHz every window has exactly 96,000 samples (1920 per frame at 25 fps, 1600 at 30 fps). The video needs
    ceil(duration * fps) frames; the last window is zero-padded to a full segment unless `pad_last` is False, in which
    case it holds exactly its frames' samples.
    """
    frames_per_segment = Fraction(segment_s).limit_denominator(1000) * fps
    if frames_per_segment.denominator != 1 or frames_per_segment <= 0:
        raise ValueError(f"{segment_s} s is not a whole number of frames at {fps} fps")
    per_segment = int(frames_per_segment)
    x = np.asarray(pcm, dtype=np.float32)
    total_frames = math.ceil(Fraction(len(x) * fps, sample_rate))
    windows: list[SegmentWindow] = []
    for index, first in enumerate(range(0, total_frames, per_segment)):
        count = per_segment if pad_last else min(per_segment, total_frames - first)
        begin = frame_sample(first, fps=fps, sample_rate=sample_rate)
        end = frame_sample(first + count, fps=fps, sample_rate=sample_rate)
        chunk = x[begin:end]
        if len(chunk) < end - begin:
            chunk = np.concatenate([chunk, np.zeros(end - begin - len(chunk), np.float32)])
        windows.append(SegmentWindow(index, first, count, begin, chunk))
    return windows
