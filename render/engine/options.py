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
