from __future__ import annotations

import numpy as np
import pytest

from render.engine.avatar import AvatarAssets, AvatarFormatError
from tests.render.engine.avatar.sample_avatar import sample_assets


def test_it_loads_back_exactly_what_it_wrote() -> None:
    assets = sample_assets()
    data = assets.to_bytes()
    back = AvatarAssets.from_bytes(data)
    assert back.fps == assets.fps
    assert back.frame_size == assets.frame_size
    assert back.rest_width == pytest.approx(assets.rest_width)
    np.testing.assert_array_equal(back.bank.crops, assets.bank.crops)
    np.testing.assert_array_equal(back.bank.features, assets.bank.features)
    assert list(back.clips) == list(assets.clips)
    for name, clip in assets.clips.items():
        other = back.clips[name]
        assert other.jpeg == clip.jpeg
        np.testing.assert_array_equal(other.landmarks, clip.landmarks)
        np.testing.assert_array_equal(other.to_px, clip.to_px)
        np.testing.assert_array_equal(other.frame(3), clip.frame(3))
    assert back.suggestions == assets.suggestions
    assert back.to_bytes() == data


def test_it_refuses_bytes_that_are_not_avatar_assets() -> None:
    with pytest.raises(AvatarFormatError, match="not avatar assets"):
        AvatarAssets.from_bytes(b"definitely not an npz")
