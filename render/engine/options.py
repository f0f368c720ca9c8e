"""Every choice the engine offers, in one place: the API's serializers, the render services and the engine's own
checks (`stream.StreamConfig`) read these, so the API can never accept a value the engine then refuses.

Plain data, no imports beyond the standard library: the web tier imports it to build its choices.
"""

from __future__ import annotations

# Output sizes (width, height) -> the name the API uses: landscape and portrait (Douyin, Taobao Live and Kuaishou
# live rooms are vertical). Anything else is refused, not approximated.
SUPPORTED_SIZES: dict[tuple[int, int], str] = {
    (1280, 720): "720p",
    (1920, 1080): "1080p",
    (720, 1280): "720p-portrait",
    (1080, 1920): "1080p-portrait",
}
# Name -> (width, height), the API's `resolution` choices.
RESOLUTIONS: dict[str, tuple[int, int]] = {name: size for size, name in SUPPORTED_SIZES.items()}
SUPPORTED_FPS: tuple[int, ...] = (25, 30)
# Video bitrate by the frame's shorter side.
BITRATES: dict[int, int] = {720: 2_500_000, 1080: 4_500_000}
ENGINES: tuple[str, ...] = ("viseme-warp", "onnx")
# The visible label always says 'AI生成'; English under it is the only choice. It cannot be turned off.
LABEL_LANGUAGES: tuple[str, ...] = ("zh+en", "zh")
# The spoken disclosure always includes Mandarin; the order is the order spoken.
DISCLOSURE_LANGUAGES: tuple[str, ...] = ("zh+en", "zh", "en+zh")
# Languages a script line may be written in (what the TTS speaks and the label fonts cover).
LINE_LANGUAGES: tuple[str, ...] = ("zh", "en")
# Text-to-speech backends a stream may choose (a voice-clone backend is not listed: it needs the influencer's voice
# consent and is offered only through the consent gate). "kokoro" is the neural voice, "espeak" the robotic fallback.
TTS_BACKENDS: tuple[str, ...] = ("kokoro", "espeak")
# Voice presets per backend (None for the backend's default). Kokoro ships only Japanese-named speaker presets; they
# speak Mandarin and English with the phonemes given (docs/voice.md: jf_nezumi was the most intelligible).
VOICE_PRESETS: dict[str, tuple[str, ...]] = {
    "kokoro": ("jf_nezumi", "jf_alpha", "jf_gongitsune", "jf_tebukuro", "jm_kumo"),
    "espeak": ("cmn", "cmn-latn-pinyin", "en-us", "en-gb"),
}
# Speaking rate (1 = the voice's own) and pitch (frequency ratio) a stream may set; the live host's tone maps onto
# these. Narrow on purpose: beyond them Kokoro slurs and resampled pitch starts to sound like a different person.
VOICE_RATE_RANGE: tuple[float, float] = (0.75, 1.4)
VOICE_PITCH_RANGE: tuple[float, float] = (0.85, 1.2)
