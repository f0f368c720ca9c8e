"""The spoken AI disclosure that opens every stream, and the GB 45438 audio rhythm label.

GB 45438-2025 §5.3 (rules.md §2.1, CN-GB-AUDIO) allows either a *voice label* or a *rhythm label* at the start of
audio. The voice label is spoken at a normal rate, about 120-160 Chinese characters per minute; we aim at the middle
(140). The rhythm label is Morse "short-long short-short" (· — · · = "AI").

rules.md records no durations or frequency for the rhythm tone ("no durations/frequencies found [U]"), so the timing
follows ITU-R M.1677-1 (International Morse code): dot = 1 unit, dash = 3 units, gap inside a letter = 1 unit, gap
between letters = 3 units, and a word gap (7 units) of silence after the pattern so the label ends *before* the content
begins rather than running into it. The unit (100 ms, i.e. 12 words per minute) and the 1 kHz tone are our choice:
slow enough to hear as a rhythm, well inside the telephone band so it survives AAC at any bitrate.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from render.engine.speech.audio import concatenate, speech_from_pcm
from render.engine.speech.backends import DEFAULT_BACKEND, synthesize
from render.engine.speech.text import normalize_language
from render.engine.speech.types import FloatArray, Speech

DISCLOSURE_TEXT = {"zh": "本直播由人工智能生成", "en": "This livestream is AI-generated."}
# A short video is not a livestream: its notice names a video ("medium" "video"; see StreamConfig.medium).
VIDEO_DISCLOSURE_TEXT = {"zh": "本视频由人工智能生成", "en": "This video is AI-generated."}
# Characters per minute for the Mandarin voice label (rules.md: "about 120-160").
TARGET_ZH_CHARS_PER_MINUTE = 140.0
_ENGLISH_SPEED = 0.9  # a notice is read a little slower than chat

RHYTHM_UNIT_S = 0.100
RHYTHM_TONE_HZ = 1000.0
RHYTHM_LEVEL_DBFS = -6.0
# 5 ms raised-cosine edges keep the tone free of clicks without blurring the rhythm.
_RAMP_S = 0.005
# (tone on?, length in units): A = · —, letter gap, I = · ·, then a word gap of silence.
RHYTHM_PATTERN: tuple[tuple[bool, int], ...] = (
    (True, 1),
    (False, 1),
    (True, 3),
    (False, 3),
    (True, 1),
    (False, 1),
    (True, 1),
    (False, 7),
)


def rhythm_label(sample_rate: int, *, unit_s: float = RHYTHM_UNIT_S) -> FloatArray:
    """PCM of the GB 45438 rhythm label "· — · ·" followed by a word gap of silence."""
    pieces: list[FloatArray] = []
    level = 10 ** (RHYTHM_LEVEL_DBFS / 20)
    ramp = round(_RAMP_S * sample_rate)
    position = 0
    for tone, units in RHYTHM_PATTERN:
        count = round(units * unit_s * sample_rate)
        if tone:
            t = (position + np.arange(count)) / sample_rate
            wave = np.sin(2 * math.pi * RHYTHM_TONE_HZ * t) * level
            envelope = np.ones(count)
            edge = 0.5 - 0.5 * np.cos(np.linspace(0, math.pi, ramp))
            envelope[:ramp] = edge
            envelope[-ramp:] = edge[::-1]
            pieces.append((wave * envelope).astype(np.float32))
        else:
            pieces.append(np.zeros(count, np.float32))
        position += count
    return np.concatenate(pieces)


@functools.cache
def disclosure_speech(
    language: str,
    medium: str = "livestream",
    *,
    backend: str = DEFAULT_BACKEND,
    voice: str | None = None,
    pitch: float = 1.0,
    voice_consent_granted: bool = False,
) -> Speech:
    """The spoken notice "本直播由人工智能生成" / "This livestream is AI-generated." in the stream's voice (cached per
    process and voice), or the short video's "本视频由人工智能生成" / "This video is AI-generated." with
    `medium="video"`: viewers hear that the voice is AI in that very voice, before anything else it says.

    The Mandarin notice is synthesised, measured, and re-synthesised at the speed that puts its spoken span at about
    140 characters per minute, whatever rate the stream's lines use (a notice is read at the notice rate).
    """
    lang = normalize_language(language)
    text = (VIDEO_DISCLOSURE_TEXT if medium == "video" else DISCLOSURE_TEXT)[lang]
    options = {"backend": backend, "voice": voice, "pitch": pitch, "voice_consent_granted": voice_consent_granted}
    if lang == "en":
        return synthesize(text, language="en", speed=_ENGLISH_SPEED, **options)  # type: ignore[arg-type]
    # espeak-ng's rate parameter is not proportional to the syllable rate, so correct the speed a few times.
    speed = 1.0
    speech = synthesize(text, language="zh", speed=speed, **options)  # type: ignore[arg-type]
    for _ in range(3):
        rate = characters_per_minute(speech)
        if abs(rate - TARGET_ZH_CHARS_PER_MINUTE) <= 3.0:
            break
        speed *= TARGET_ZH_CHARS_PER_MINUTE / rate
        speech = synthesize(text, language="zh", speed=speed, **options)  # type: ignore[arg-type]
    return speech


def characters_per_minute(speech: Speech) -> float:
    """Chinese characters per minute over the spoken span (first to last non-silent phoneme)."""
    spoken = [unit for unit in speech.phonemes if unit.symbol != "sil"]
    span = spoken[-1].end_s - spoken[0].start_s
    characters = sum(1 for ch in speech.text if "\u4e00" <= ch <= "\u9fff")
    return characters / span * 60.0


def stream_opening(
    language: str,
    *,
    rhythm: bool = False,
    sample_rate: int | None = None,
    medium: str = "livestream",
    backend: str = DEFAULT_BACKEND,
    voice: str | None = None,
    pitch: float = 1.0,
    voice_consent_granted: bool = False,
) -> Speech:
    """What every stream starts with: optionally the rhythm label, then the spoken disclosure (both, if 'zh+en'),
    in the voice the stream's lines use (backend, preset, pitch); `medium` "video" names a video, not a livestream."""
    notices = [
        disclosure_speech(
            lang, medium, backend=backend, voice=voice, pitch=pitch, voice_consent_granted=voice_consent_granted
        )
        for lang in language.split("+")
    ]
    rate = sample_rate or notices[0].sample_rate
    opening = concatenate(notices, pause_s=0.4, sample_rate=rate)
    if not rhythm:
        return opening
    # The rhythm label already ends with its own word gap of silence.
    tone = speech_from_pcm(rhythm_label(rate), rate, text="[rhythm label]", backend="rhythm")
    return concatenate([tone, opening], pause_s=0.0, sample_rate=rate)
