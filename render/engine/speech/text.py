"""Deciding whether text can be spoken, before and after synthesis.

The rule is "never silent audio passed off as speech": text with nothing to pronounce, in a language we cannot
speak, or too long for one call is refused with a stable `reason` code instead of producing a second of hiss.
"""

from __future__ import annotations

import unicodedata

import numpy as np

from render.engine.speech.types import FloatArray, UnspeakableText

# One call is one script line; a live script line longer than this is a mistake upstream, and espeak-ng/piper both
# take time proportional to length, which would stall a render worker.
MAX_TEXT_CHARS = 1000

_LANGUAGE_ALIASES = {
    "zh": "zh",
    "zh-cn": "zh",
    "zh-hans": "zh",
    "zh_cn": "zh",
    "cmn": "zh",
    "mandarin": "zh",
    "en": "en",
    "en-us": "en",
    "en_us": "en",
    "en-gb": "en",
    "english": "en",
}

# Below this RMS (about -60 dBFS) the output is silence, whatever the engine claims.
_MIN_SPEECH_RMS = 1e-3


def normalize_language(language: str) -> str:
    """'zh-CN', 'cmn', 'en-US' → 'zh' / 'en'; anything else is refused."""
    key = language.strip().lower()
    if key not in _LANGUAGE_ALIASES:
        raise UnspeakableText("unsupported_language", f"language {language!r} is not supported (zh or en)")
    return _LANGUAGE_ALIASES[key]


def _is_han(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("CJK UNIFIED IDEOGRAPH")


def prepare_text(text: str, *, language: str) -> str:
    """Return the text to hand to the engine, or raise UnspeakableText saying why there is none.

    Emoji and other pictographic symbols are dropped (espeak-ng would otherwise read "grinning face" aloud); currency
    signs stay because "$50" is speech. Control characters become spaces.
    """
    if len(text) > MAX_TEXT_CHARS:
        raise UnspeakableText("too_long", f"text has {len(text)} characters; at most {MAX_TEXT_CHARS} per call")
    cleaned = []
    for ch in text:
        category = unicodedata.category(ch)
        if category in {"So", "Sk", "Cs", "Co", "Cn"} or ch in "\ufe0f\u200d":
            continue
        cleaned.append(" " if category.startswith("C") or category.startswith("Z") else ch)
    prepared = " ".join("".join(cleaned).split())
    if not prepared:
        raise UnspeakableText("empty", "text is empty (or only emoji/symbols)")
    if not any(unicodedata.category(ch)[0] in {"L", "N"} for ch in prepared):
        raise UnspeakableText("nothing_to_say", "text has no letters or digits to pronounce, only punctuation")
    if language == "en" and any(_is_han(ch) for ch in prepared):
        # An English voice reads a Chinese character as "Chinese letter <code>": never acceptable on air.
        raise UnspeakableText(
            "wrong_script", "Chinese characters cannot be spoken by an English voice; use language='zh'"
        )
    return prepared


def check_audible(pcm: FloatArray, *, phoneme_count: int) -> None:
    """Refuse engine output that is silent or has no phonemes."""
    if phoneme_count == 0 or pcm.size == 0:
        raise UnspeakableText("no_phonemes", "the TTS engine produced no phonemes for this text")
    rms = float(np.sqrt(np.mean(np.square(pcm, dtype=np.float64))))
    if rms < _MIN_SPEECH_RMS:
        raise UnspeakableText("silent_output", "the TTS engine produced silence for this text")
