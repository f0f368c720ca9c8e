from __future__ import annotations

import numpy as np
import pytest

from render.engine.lipsync.viseme_warp import VisemeWarpEngine
from tests.render.engine.avatar.sample_avatar import sample_assets
from tests.render.engine.lipsync.rendered import N, rendered


def test_the_same_input_renders_the_same_bytes_even_with_a_fresh_engine() -> None:
    bodies, params, frames = rendered()
    again = list(VisemeWarpEngine(sample_assets(), device="cpu").render(bodies, params))
    assert len(frames) == len(again) == N
    for a, b in zip(frames, again, strict=True):
        np.testing.assert_array_equal(a, b)


def test_it_refuses_mismatched_lengths() -> None:
    bodies, params, _ = rendered()
    with pytest.raises(ValueError, match="5 body frames but 60 frames"):
        list(VisemeWarpEngine(sample_assets()).render(bodies[:5], params))
