"""A stream's voice: which backend and preset speaks, how fast, how high; checked against the options the API offers.

Pitch works the same way for every backend, by resampling: speech synthesised at speed `rate / pitch` and then played
`pitch` times faster lasts as long as speech at `rate`, with every frequency (the voice's pitch and, less audibly at
these small ratios, its formants) multiplied by `pitch`. The timings are scaled with the audio, so lip-sync holds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from render.engine.options import TTS_BACKENDS, VOICE_PITCH_RANGE, VOICE_PRESETS, VOICE_RATE_RANGE
from render.engine.speech.audio import resample
from render.engine.speech.types import Speech, units_from_boundaries


class VoiceChoiceError(ValueError):
    """A voice setting the platform does not offer; `code` is stable, the message says what is allowed."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class VoiceChoice:
    backend: str
    preset: str | None = None  # None: the backend's default voice for the language
    rate: float = 1.0  # speaking rate, 1 = the voice's own
    pitch: float = 1.0  # frequency ratio, 1 = the voice's own

    def check(self) -> None:
        """Raise VoiceChoiceError unless the engine can speak with this voice.

        The API offers `options.TTS_BACKENDS`; the engine also accepts any other registered backend (a house piper
        voice, a consented clone backend), whose own checks then apply.
        """
        from render.engine.speech.backends import backend_names

        if self.backend not in TTS_BACKENDS and self.backend not in backend_names():
            raise VoiceChoiceError("unknown_tts_backend", f"TTS backend {self.backend!r}: {', '.join(TTS_BACKENDS)}")
        presets = VOICE_PRESETS.get(self.backend)
        if self.preset is not None and presets is not None and self.preset not in presets:
            raise VoiceChoiceError(
                "unknown_voice", f"voice {self.preset!r} for {self.backend}: {', '.join(presets)} (or the default)"
            )
        low, high = VOICE_RATE_RANGE
        if not low <= self.rate <= high:
            raise VoiceChoiceError("bad_voice_rate", f"voice rate {self.rate}: between {low} and {high}")
        low, high = VOICE_PITCH_RANGE
        if not low <= self.pitch <= high:
            raise VoiceChoiceError("bad_voice_pitch", f"voice pitch {self.pitch}: between {low} and {high}")


def apply_pitch(speech: Speech, pitch: float) -> Speech:
    """`speech` played `pitch` times faster (higher and shorter), its timings scaled to match."""
    if pitch == 1.0:
        return speech
    rate = speech.sample_rate
    source_rate = round(rate * pitch)
    pcm = resample(np.asarray(speech.pcm), source_rate, rate)
    scale = len(pcm) / len(speech.pcm)
    starts = [round(unit.start_s * rate * scale) for unit in speech.phonemes]
    return Speech(
        pcm=pcm,
        sample_rate=rate,
        phonemes=units_from_boundaries([unit.symbol for unit in speech.phonemes], starts, len(pcm), rate),
        language=speech.language,
        backend=speech.backend,
        voice=speech.voice,
        text=speech.text,
        transcription=speech.transcription,
    )
