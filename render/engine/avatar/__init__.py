"""Avatar build: face track, head pose, mouth bank, idle loop and gesture clips from a consented sample video.

Pure library code (no Django): the render worker decrypts the sample, decodes it to RGB frames and calls
`build_avatar`; the returned `AvatarAssets.to_bytes()` goes back into the biometric vault, encrypted.
"""

from __future__ import annotations

from render.engine.avatar.assets import AvatarAssets, AvatarFormatError, Clip, GestureSuggestion, MouthBank
from render.engine.avatar.build import build_avatar
from render.engine.avatar.face import NoUsableFace
from render.engine.avatar.gestures import GESTURES, GestureMark, GestureMarkError

__all__ = [
    "GESTURES",
    "AvatarAssets",
    "AvatarFormatError",
    "Clip",
    "GestureMark",
    "GestureMarkError",
    "GestureSuggestion",
    "MouthBank",
    "NoUsableFace",
    "build_avatar",
]
