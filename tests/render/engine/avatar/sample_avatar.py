"""One synthetic talking sample and the avatar built from it, shared by the avatar and lip-sync tests (built once)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from render.engine.avatar import AvatarAssets, GestureMark, build_avatar
from render.engine.avatar.sample import TalkingPortrait

FPS = 25.0
QUIET = (0.0, 2.5)
WAVES = ((3.0, 4.0), (4.8, 5.6))


@lru_cache(maxsize=1)
def sample_clip() -> tuple[TalkingPortrait, list[np.ndarray]]:
    clip = TalkingPortrait(seconds=6.0, fps=FPS, closed=(QUIET,), gestures=WAVES)
    return clip, [clip[i] for i in range(len(clip))]


@lru_cache(maxsize=1)
def sample_build() -> tuple[AvatarAssets, list[float]]:
    _, frames = sample_clip()
    progress: list[float] = []
    marks = [GestureMark("greet", *WAVES[0]), GestureMark("thank", *WAVES[1])]
    return build_avatar(frames, FPS, marks=marks, progress=progress.append), progress


def sample_assets() -> AvatarAssets:
    return sample_build()[0]
