"""espeak-ng through its shared library (ctypes), with phoneme events for timing.

Why the library and not the CLI: the CLI prints phonemes but no times (`--pho` needs MBROLA voices, not in Debian
main); the library's synth callback reports every phoneme with its sample position (offline-models.md §8).

Mandarin: Debian 12's espeak-ng 1.51 reads Chinese with `-v cmn` as English spellings of pinyin ("knee three"); the
`cmn-latn-pinyin` voice reads it correctly. 1.52 fixed plain `cmn`, so the voice is chosen from the library version.

espeak-ng keeps global state (one voice, one callback), so calls are serialised with a lock; render workers are
processes, so this never limits throughput across workers.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import re
import threading
from dataclasses import dataclass

import numpy as np

from render.engine.speech.types import (
    BackendUnavailable,
    Speech,
    SpeechError,
    UnspeakableText,
    units_from_boundaries,
)

# espeak_AUDIO_OUTPUT / espeak_EVENT_TYPE / espeakINITIALIZE_* from speak_lib.h.
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_PHONEME_EVENTS = 0x0001
_INITIALIZE_PHONEME_IPA = 0x0002
_EVENT_LIST_TERMINATED = 0
_EVENT_PHONEME = 7
_CHARS_UTF8 = 1
_POS_CHARACTER = 1
_END_OF_TEXT = 0x1000  # espeakENDPAUSE: add a sentence-final pause.
_PARAM_RATE = 1

# Speaking rates in words per minute at speed 1.0. espeak's default 175 makes Mandarin slow (about 4 chars/s);
# 200 is closer to a presenter's pace without slurring tones.
_BASE_RATE = {"zh": 200, "en": 175}
_MIN_RATE, _MAX_RATE = 80, 450


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    ]


_SynthCallback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event))


def parse_version(text: str) -> tuple[int, int]:
    """'1.51', '1.52.0', '1.51-dev' → (1, 51)."""
    match = re.match(r"(\d+)\.(\d+)", text)
    if not match:
        raise ValueError(f"unrecognised espeak-ng version {text!r}")
    return int(match.group(1)), int(match.group(2))


def mandarin_voice_for(version: str) -> str:
    """The espeak-ng voice that reads Chinese characters as Mandarin on this library version."""
    return "cmn" if parse_version(version) >= (1, 52) else "cmn-latn-pinyin"


@dataclass
class _Engine:
    lib: ctypes.CDLL
    sample_rate: int
    version: str
    lock: threading.Lock
    # Filled by the callback during one synthesis; guarded by `lock`.
    chunks: list[np.ndarray]
    events: list[tuple[int, str]]
    callback: object  # keeps the ctypes callback alive for the library's lifetime


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


@functools.cache
def _engine() -> _Engine:
    path, data_path = _find_library()
    try:
        lib = ctypes.CDLL(path)
    except OSError as exc:
        raise BackendUnavailable(f"cannot load {path}: {exc}") from exc
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_Info.restype = ctypes.c_char_p
    lib.espeak_Info.argtypes = [ctypes.c_void_p]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_Synth.argtypes = [
        ctypes.c_void_p,
        ctypes.c_size_t,
        ctypes.c_uint,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.c_uint,
        ctypes.c_void_p,
        ctypes.c_void_p,
    ]
    lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
    lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int]
    flags = _INITIALIZE_PHONEME_EVENTS | _INITIALIZE_PHONEME_IPA
    sample_rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path.encode() if data_path else None, flags)
    if sample_rate <= 0:
        raise BackendUnavailable("espeak-ng failed to initialise (is espeak-ng-data installed?)")
    version = (lib.espeak_Info(None) or b"0.0").decode()
    engine = _Engine(lib, sample_rate, version, threading.Lock(), [], [], None)

    def on_synth(wav: ctypes._Pointer[ctypes.c_short], count: int, events: ctypes._Pointer[_Event]) -> int:
        if wav and count > 0:
            engine.chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        i = 0
        while events[i].type != _EVENT_LIST_TERMINATED:
            event = events[i]
            if event.type == _EVENT_PHONEME:
                engine.events.append((event.sample, event.id.string.decode("utf-8", "replace")))
            i += 1
        return 0

    engine.callback = _SynthCallback(on_synth)
    lib.espeak_SetSynthCallback(engine.callback)
    return engine


def espeak_version() -> str:
    return _engine().version


def voice_for(language: str) -> str:
    return mandarin_voice_for(espeak_version()) if language == "zh" else "en-us"


class EspeakBackend:
    """The default backend: robotic but fast (RTF ≈ 0.002), Mandarin and English, exact phoneme events."""

    name = "espeak"
    requires_voice_consent = False
    languages = frozenset({"zh", "en"})

    def synthesize(self, text: str, *, language: str, voice: str | None, speed: float) -> Speech:
        engine = _engine()
        voice_name = voice or voice_for(language)
        rate = round(_BASE_RATE[language] * speed)
        if not _MIN_RATE <= rate <= _MAX_RATE:
            raise SpeechError(f"speed {speed} gives {rate} words/min, outside espeak-ng's {_MIN_RATE}-{_MAX_RATE}")
        encoded = text.encode("utf-8")
        with engine.lock:
            if engine.lib.espeak_SetVoiceByName(voice_name.encode()) != 0:
                raise UnspeakableText("unknown_voice", f"espeak-ng has no voice {voice_name!r}")
            engine.lib.espeak_SetParameter(_PARAM_RATE, rate, 0)
            engine.chunks.clear()
            engine.events.clear()
            buffer = ctypes.create_string_buffer(encoded)
            status = engine.lib.espeak_Synth(
                buffer, len(encoded) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8 | _END_OF_TEXT, None, None
            )
            engine.lib.espeak_Synchronize()
            if status != 0:
                raise BackendUnavailable(f"espeak_Synth failed with status {status}")
            pcm16 = np.concatenate(engine.chunks) if engine.chunks else np.zeros(0, np.int16)
            events = list(engine.events)
            transcription = _transcribe(engine, encoded)
        pcm = (pcm16.astype(np.float32) / 32768.0).astype(np.float32)
        # An empty phoneme string marks a pause or word end in espeak's event stream.
        symbols = [phoneme.strip() or "sil" for _sample, phoneme in events]
        starts = [sample for sample, _phoneme in events]
        units = units_from_boundaries(symbols, starts, len(pcm), engine.sample_rate)
        return Speech(
            pcm=pcm,
            sample_rate=engine.sample_rate,
            phonemes=units,
            language=language,
            backend=self.name,
            voice=voice_name,
            text=text,
            transcription=transcription,
        )


def _transcribe(engine: _Engine, encoded: bytes) -> str:
    """espeak-ng's ASCII phoneme mnemonics for the text (Mandarin syllables carry tone numbers). Caller holds lock."""
    buffer = ctypes.create_string_buffer(encoded)
    pointer = ctypes.c_void_p(ctypes.addressof(buffer))
    clauses: list[str] = []
    while pointer.value:
        result = engine.lib.espeak_TextToPhonemes(ctypes.byref(pointer), _CHARS_UTF8, 0)
        if result:
            clauses.append(result.decode("utf-8", "replace").strip())
    return " ".join(clause for clause in clauses if clause)
