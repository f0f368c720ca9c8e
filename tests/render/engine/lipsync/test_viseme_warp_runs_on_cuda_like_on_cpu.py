from __future__ import annotations

import numpy as np
import pytest
import torch

from render.engine.lipsync.viseme_warp import VisemeWarpEngine
from tests.render.engine.avatar.sample_avatar import sample_assets
from tests.render.engine.lipsync.rendered import rendered

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU (CI has none)"),
]


def test_the_cuda_engine_renders_what_the_cpu_engine_renders() -> None:
    bodies, params, frames = rendered()
    on_gpu = list(VisemeWarpEngine(sample_assets(), device="cuda").render(bodies, params))
    for a, b in zip(frames, on_gpu, strict=True):
        assert np.abs(a.astype(int) - b.astype(int)).max() <= 2
