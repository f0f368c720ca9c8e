"""espeak-ng through its shared library (ctypes), with phoneme events for timing.

Why the library and not the CLI: the CLI prints phonemes but no times (`--pho` needs MBROLA voices, not in Debian
main); the library's synth callback reports every phoneme with its sample position (offline-models.md §8).

Mandarin: Debian 12's espeak-ng 1.51 reads Chinese with `-v cmn` as English spellings of pinyin ("knee three"); the
`cmn-latn-pinyin` voice reads it correctly. 1.52 fixed plain `cmn`, so the voice is chosen from the library version.

espeak-ng keeps state across calls in one process, so the same text gives slightly different audio depending on
what the process said before. Each utterance is therefore synthesised in a short-lived pristine child process
(espeak_child.py, standard library only, a few milliseconds to start): the result depends on the text, voice and
rate alone, which is what lets a fresh worker re-make a stream's plan exactly to resume it.
"""

from __future__ import annotations

import ctypes.util
import functools
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np

from render.engine.speech.types import (
    BackendUnavailable,
    Speech,
    SpeechError,
    UnspeakableText,
    units_from_boundaries,
)

# Speaking rates in words per minute at speed 1.0. espeak's default 175 makes Mandarin slow (about 4 chars/s);
# 200 is closer to a presenter's pace without slurring tones.
_BASE_RATE = {"zh": 200, "en": 175}
_MIN_RATE, _MAX_RATE = 80, 450
_CHILD = Path(__file__).with_name("espeak_child.py")
_CHILD_TIMEOUT_S = 60


def parse_version(text: str) -> tuple[int, int]:
    """'1.51', '1.52.0', '1.51-dev' → (1, 51)."""
    match = re.match(r"(\d+)\.(\d+)", text)
    if not match:
        raise ValueError(f"unrecognised espeak-ng version {text!r}")
    return int(match.group(1)), int(match.group(2))


def mandarin_voice_for(version: str) -> str:
    """The espeak-ng voice that reads Chinese characters as Mandarin on this library version."""
    return "cmn" if parse_version(version) >= (1, 52) else "cmn-latn-pinyin"


def _find_library() -> tuple[str, str | None]:
    """Path of libespeak-ng and its data directory (None: the library's compiled-in default)."""
    try:  # the pip package `espeakng-loader` ships 1.52 with its own data; prefer it when installed.
        import espeakng_loader

        return str(espeakng_loader.get_library_path()), str(espeakng_loader.get_data_path())
    except ImportError:
        pass
    name = ctypes.util.find_library("espeak-ng")
    if name is None:
        raise BackendUnavailable("libespeak-ng is not installed (apt-get install espeak-ng)")
    return name, None


def _run_child(request: dict[str, object]) -> tuple[dict[str, Any], bytes]:
    library, data = _library()
    payload = json.dumps({**request, "library": library, "data": data}).encode()
    try:
        # Our own interpreter running our own file; the text travels on stdin, never on the command line.
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-I", "-S", str(_CHILD)],
            input=payload,
            capture_output=True,
            timeout=_CHILD_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise BackendUnavailable(f"espeak-ng did not finish within {_CHILD_TIMEOUT_S} s") from exc
    head, _, pcm = done.stdout.partition(b"\n")
    if done.returncode != 0 or not head:
        raise BackendUnavailable(f"espeak-ng child failed: {done.stderr.decode(errors='replace')[-500:]}")
    header: dict[str, Any] = json.loads(head)
    if header.get("status") == "init_failed":
        raise BackendUnavailable("espeak-ng failed to initialise (is espeak-ng-data installed?)")
    return header, pcm


@functools.cache
def _library() -> tuple[str, str | None]:
    return _find_library()


@functools.cache
def _version() -> str:
    header, _pcm = _run_child({})
    return str(header["version"])


def espeak_version() -> str:
    return _version()


def ipa(texts: list[str], *, voice: str = "en-us") -> list[str]:
    """espeak-ng's IPA (with stress marks) for each text, in one child process; no audio is made."""
    if not texts:
        return []
    header, _pcm = _run_child({"voice": voice, "text": texts, "ipa": True})
    if header.get("status") != "ok":
        raise BackendUnavailable(f"espeak-ng could not phonemise ({header.get('status')})")
    return [str(item) for item in header["ipa"]]


def voice_for(language: str) -> str:
    return mandarin_voice_for(espeak_version()) if language == "zh" else "en-us"


class EspeakBackend:
    """The engine's default and the platform's fallback: robotic but fast (RTF ≈ 0.002), Mandarin and English, exact
    phoneme events."""

    name = "espeak"
    requires_voice_consent = False
    languages = frozenset({"zh", "en"})

    def synthesize(self, text: str, *, language: str, voice: str | None, speed: float) -> Speech:
        voice_name = voice or voice_for(language)
        rate = round(_BASE_RATE[language] * speed)
        if not _MIN_RATE <= rate <= _MAX_RATE:
            raise SpeechError(f"speed {speed} gives {rate} words/min, outside espeak-ng's {_MIN_RATE}-{_MAX_RATE}")
        header, raw = _run_child({"voice": voice_name, "rate": rate, "text": text})
        status = str(header.get("status"))
        if status == "unknown_voice":
            raise UnspeakableText("unknown_voice", f"espeak-ng has no voice {voice_name!r}")
        if status != "ok":
            raise BackendUnavailable(f"espeak_Synth failed ({status})")
        pcm16 = np.frombuffer(raw, dtype="<i2").astype(np.int16)
        events = [(int(sample), str(phoneme)) for sample, phoneme in header["events"]]
        transcription = str(header["transcription"])
        sample_rate = int(header["sample_rate"])
        pcm = (pcm16.astype(np.float32) / 32768.0).astype(np.float32)
        # An empty phoneme string marks a pause or word end in espeak's event stream.
        symbols = [phoneme.strip() or "sil" for _sample, phoneme in events]
        starts = [sample for sample, _phoneme in events]
        units = units_from_boundaries(symbols, starts, len(pcm), sample_rate)
        return Speech(
            pcm=pcm,
            sample_rate=sample_rate,
            phonemes=units,
            language=language,
            backend=self.name,
            voice=voice_name,
            text=text,
            transcription=transcription,
        )
