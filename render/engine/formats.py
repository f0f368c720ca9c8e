"""The output formats the platform offers: the one source of the choices in StreamConfig, the service and the API.

Light on purpose (no numpy, no torch): the web tier imports it to validate requests.
"""

from __future__ import annotations

# Landscape and portrait (Douyin, Taobao Live and Kuaishou live rooms are vertical), at 25 or 30 fps; anything else
# is refused, not approximated.
SUPPORTED_SIZES: dict[tuple[int, int], str] = {
    (1280, 720): "720p",
    (1920, 1080): "1080p",
    (720, 1280): "720p-portrait",
    (1080, 1920): "1080p-portrait",
}
SUPPORTED_FPS = (25, 30)
# Video bitrate by the frame's shorter side.
BITRATES = {720: 2_500_000, 1080: 4_500_000}
