"""One viseme-warp render of the sample avatar, shared by the lip-sync tests (rendered once per test session)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from render.engine.avatar.assets import BodyFrame, clip_frame
from render.engine.lipsync.params import MouthParams
from render.engine.lipsync.viseme_warp import VisemeWarpEngine
from tests.render.engine.avatar.sample_avatar import FPS, sample_assets

N = 60


def speech_like_params(n: int = N) -> MouthParams:
    t = np.arange(n) / FPS
    jaw = np.clip(0.5 - 0.5 * np.cos(2 * np.pi * 1.6 * t), 0, 1) * np.where(t % 1.2 < 0.9, 1.0, 0.15)
    width = 0.5 + 0.3 * np.sin(2 * np.pi * 0.7 * t)
    rnd = np.clip(np.sin(2 * np.pi * 0.45 * t), 0, 1) * 0.6
    return MouthParams(jaw.astype(np.float32), width.astype(np.float32), rnd.astype(np.float32))


@lru_cache(maxsize=1)
def engine() -> VisemeWarpEngine:
    return VisemeWarpEngine(sample_assets(), device="cpu")


@lru_cache(maxsize=1)
def rendered() -> tuple[list[BodyFrame], MouthParams, list[np.ndarray]]:
    assets = sample_assets()
    bodies = [clip_frame(assets.idle, i) for i in range(N)]
    params = speech_like_params()
    return bodies, params, list(engine().render(bodies, params))
