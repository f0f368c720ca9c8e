"""The value every TTS backend returns, and the errors the speech package raises.

Audio is always mono float32 in [-1, 1], whatever the engine produced (espeak-ng gives int16, piper float32): one
dtype means the compositor, resampler and mouth tracker never have to branch on it. `Speech.pcm_int16()` gives the
int16 view for encoders that want it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float32]

# Symbol used for silence in both the phoneme and the viseme lists.
SILENCE = "sil"


class SpeechError(Exception):
    """Base class for every error raised by render.engine.speech."""


class UnspeakableText(SpeechError):  # noqa: N818 - the name reads as the condition, like Django's DoesNotExist.
    """The text cannot be spoken by the chosen backend; `reason` is a stable machine-readable code."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


class VoiceConsentRequired(SpeechError):  # noqa: N818
    """A backend that imitates a real person's voice was called without proof of voice consent."""


class BackendUnavailable(SpeechError):  # noqa: N818
    """The backend is unknown, or its engine (library, model file) is missing on this machine."""


@dataclass(frozen=True)
class TimedUnit:
    """One phoneme or viseme with its time span in seconds from the start of the audio."""

    symbol: str
    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class Speech:
    """Synthesised (or loaded) speech: audio plus phoneme and viseme timings on the same clock.

    `phonemes` tile the whole audio: they start at 0, end at `duration_s`, never overlap and never go backwards;
    gaps are filled with `SILENCE` units. `visemes` are derived from them by `render.engine.speech.visemes`.
    """

    pcm: FloatArray
    sample_rate: int
    phonemes: tuple[TimedUnit, ...]
    language: str
    backend: str
    voice: str
    text: str = ""
    # The engine's own transcription (espeak-ng mnemonics carry Mandarin tone numbers, e.g. "ts.'i.35").
    transcription: str = ""
    visemes: tuple[TimedUnit, ...] = field(init=False)

    def __post_init__(self) -> None:
        from render.engine.speech.visemes import phonemes_to_visemes

        if self.pcm.ndim != 1 or self.pcm.dtype != np.float32:
            raise ValueError("Speech.pcm must be mono float32")
        if self.sample_rate <= 0:
            raise ValueError("Speech.sample_rate must be positive")
        check_tiling(self.phonemes, self.duration_s)
        # Shared, possibly cached objects must not be changed in place by a caller.
        self.pcm.flags.writeable = False
        object.__setattr__(self, "visemes", phonemes_to_visemes(self.phonemes))

    @property
    def duration_s(self) -> float:
        return len(self.pcm) / self.sample_rate

    def pcm_int16(self) -> NDArray[np.int16]:
        return np.clip(np.round(self.pcm * 32767.0), -32768, 32767).astype(np.int16)


def check_tiling(units: tuple[TimedUnit, ...], duration_s: float, *, tolerance_s: float = 1e-6) -> None:
    """Raise ValueError unless `units` cover [0, duration_s] contiguously and in order."""
    if not units:
        if duration_s > tolerance_s:
            raise ValueError("timings are empty but the audio is not")
        return
    if abs(units[0].start_s) > tolerance_s:
        raise ValueError(f"timings start at {units[0].start_s:.4f} s, not 0")
    for previous, unit in itertools.pairwise(units):
        if abs(unit.start_s - previous.end_s) > tolerance_s:
            raise ValueError(f"timings are not contiguous at {previous.end_s:.4f} s")
    for unit in units:
        if unit.end_s < unit.start_s - tolerance_s:
            raise ValueError(f"timing for {unit.symbol!r} goes backwards")
    if abs(units[-1].end_s - duration_s) > tolerance_s:
        raise ValueError(f"timings end at {units[-1].end_s:.4f} s but the audio lasts {duration_s:.4f} s")


def units_from_boundaries(symbols: list[str], starts: list[int], total: int, sample_rate: int) -> tuple[TimedUnit, ...]:
    """Build a contiguous tiling from phoneme start positions in samples.

    Starts are clamped to be non-decreasing and within the audio; the span before the first start is silence; the
    last unit runs to the end. Zero-length units are dropped, and neighbouring silences merged.
    """
    units: list[TimedUnit] = []
    bounded = [min(max(start, 0), total) for start in starts]
    for i in range(1, len(bounded)):
        bounded[i] = max(bounded[i], bounded[i - 1])
    edges = [*bounded, total]
    if not bounded or bounded[0] > 0:
        symbols = [SILENCE, *symbols]
        edges = [0, *edges]
    for symbol, begin, end in zip(symbols, edges, edges[1:], strict=False):
        if end <= begin:
            continue
        if units and symbol == SILENCE and units[-1].symbol == SILENCE:
            units[-1] = TimedUnit(SILENCE, units[-1].start_s, end / sample_rate)
            continue
        units.append(TimedUnit(symbol, begin / sample_rate, end / sample_rate))
    return tuple(units)
