"""The TTS backend registry and the one entry point, `synthesize`.

A backend is anything with `name`, `requires_voice_consent`, `languages` and a `synthesize` method. Backends that
imitate a real person's voice (a voice clone) set `requires_voice_consent = True`; `synthesize` then refuses to call
them unless the caller passes `voice_consent_granted=True`, which the Django side sets from the consent gate's answer.
The clone backend (clone_backend.py) is registered per render by the Django side (render/voice_clone.py), which also
gives it the gate to ask before every utterance: no voice-cloning model is available offline, so it speaks through a
configured server.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Protocol

from render.engine.speech.text import check_audible, normalize_language, prepare_text
from render.engine.speech.types import BackendUnavailable, Speech, SpeechError, UnspeakableText, VoiceConsentRequired

DEFAULT_BACKEND = "espeak"
# Speech kept per process for the same line in the same voice: a live playlist loops its approved lines all day, and
# a script is rendered as a stream and again as a short video; the neural voice costs about 0.2-0.7 s of CPU per second
# of speech. Bounded by the audio's bytes (128 MiB: over 20 minutes of Kokoro speech), least recently used first out.
CACHE_BYTES = 128 * 1024 * 1024


class TTSBackend(Protocol):
    name: str
    requires_voice_consent: bool
    languages: frozenset[str]

    def synthesize(self, text: str, *, language: str, voice: str | None, speed: float) -> Speech:
        """Speak prepared text in a normalised language ('zh' or 'en'); `voice` is backend-specific."""
        ...


_REGISTRY: dict[str, TTSBackend] = {}


def register_backend(backend: TTSBackend, *, replace: bool = False) -> None:
    if backend.name in _REGISTRY and not replace:
        raise ValueError(f"a TTS backend named {backend.name!r} is already registered")
    _REGISTRY[backend.name] = backend


def unregister_backend(name: str) -> None:
    _REGISTRY.pop(name, None)


def get_backend(name: str) -> TTSBackend:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise BackendUnavailable(f"no TTS backend named {name!r} (have: {', '.join(sorted(_REGISTRY))})") from None


def backend_names() -> list[str]:
    return sorted(_REGISTRY)


def synthesize(
    text: str,
    *,
    language: str,
    voice: str | None = None,
    backend: str = DEFAULT_BACKEND,
    speed: float = 1.0,
    pitch: float = 1.0,
    voice_consent_granted: bool = False,
) -> Speech:
    """Speak `text` and return audio with phoneme and viseme timings.

    `voice` is backend-specific: a Kokoro preset, an espeak-ng voice name, or the path of a piper `.onnx` model.
    `speed` > 1 is faster; `pitch` is a frequency ratio applied by resampling (voice.apply_pitch), any backend.
    Raises UnspeakableText (with `.reason`), VoiceConsentRequired or BackendUnavailable.
    """
    chosen = get_backend(backend)
    if chosen.requires_voice_consent and voice_consent_granted is not True:
        raise VoiceConsentRequired(f"TTS backend {chosen.name!r} imitates a real voice and needs voice consent")
    lang = normalize_language(language)
    if lang not in chosen.languages:
        raise UnspeakableText("unsupported_language", f"TTS backend {chosen.name!r} does not speak {language!r}")
    if not 0.25 <= speed <= 4.0:
        raise SpeechError(f"speed must be between 0.25 and 4, not {speed}")
    if not 0.5 <= pitch <= 2.0:
        raise SpeechError(f"pitch must be between 0.5 and 2, not {pitch}")
    prepared = prepare_text(text, language=lang)
    # A backend that imitates a real person's voice is asked every time: its gate decides per utterance.
    key = None if chosen.requires_voice_consent else (id(chosen), prepared, lang, voice, float(speed), float(pitch))
    cached = _CACHE.get(key, chosen) if key is not None else None
    if cached is not None:
        return cached
    if pitch == 1.0:
        speech = chosen.synthesize(prepared, language=lang, voice=voice, speed=speed)
    else:
        from render.engine.speech.voice import apply_pitch

        # Made slower by `pitch`, then played `pitch` times faster: the requested length, at the new pitch.
        speech = apply_pitch(chosen.synthesize(prepared, language=lang, voice=voice, speed=speed / pitch), pitch)
    spoken = [unit for unit in speech.phonemes if unit.symbol != "sil"]
    check_audible(speech.pcm, phoneme_count=len(spoken))
    if key is not None:
        _CACHE.put(key, chosen, speech)
    return speech


def clear_speech_cache() -> None:
    """Forget the speech kept per process (benchmarks that time synthesis; tests that swap a backend's engine)."""
    _CACHE.clear()


class _SpeechCache:
    """Least recently used speech by the bytes of its audio. Speech is shared as it is: its samples are read-only
    (types.Speech), so no caller can change what the next one hears."""

    def __init__(self, limit_bytes: int) -> None:
        self.limit_bytes = limit_bytes
        # key -> (the backend object that spoke, its speech): a backend registered again under the same name (or a
        # new object at a recycled id) never hears another's audio.
        self._items: OrderedDict[tuple[object, ...], tuple[object, Speech]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # the runner's thread and a preview may speak at once

    def get(self, key: tuple[object, ...], backend: object) -> Speech | None:
        with self._lock:
            entry = self._items.get(key)
            if entry is None or entry[0] is not backend:
                return None
            self._items.move_to_end(key)
            return entry[1]

    def put(self, key: tuple[object, ...], backend: object, kept: Speech) -> None:
        with self._lock:
            if kept.pcm.nbytes > self.limit_bytes:
                return
            if key in self._items:
                self._bytes -= self._items.pop(key)[1].pcm.nbytes
            self._items[key] = (backend, kept)
            self._bytes += kept.pcm.nbytes
            while self._bytes > self.limit_bytes:
                _, (_, old) = self._items.popitem(last=False)
                self._bytes -= old.pcm.nbytes

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


_CACHE = _SpeechCache(CACHE_BYTES)


def _register_defaults() -> None:
    from render.engine.speech.espeak_backend import EspeakBackend
    from render.engine.speech.kokoro_backend import KokoroBackend
    from render.engine.speech.piper_backend import PiperBackend

    register_backend(EspeakBackend(), replace=True)
    register_backend(KokoroBackend(), replace=True)
    register_backend(PiperBackend(), replace=True)


_register_defaults()
