"""A portrait stream needs enough sample pixels around the subject: a sample that would be blown up more than 2x, or
a subject at the very edge of the picture, stops the stream at set-up with a code and a sentence naming the sizes;
no segment exists."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from render.engine.avatar import AvatarAssets, Clip
from render.engine.stream import StreamConfig, StreamConfigError
from tests.render.engine.stream.rendered import make_renderer, rendered


def _scaled(assets: AvatarAssets, factor: float, shift_x: float = 0.0) -> AvatarAssets:
    """The avatar as if filmed at `factor` of its resolution (and the subject moved across by `shift_x` px)."""
    clips = {}
    for name, clip in assets.clips.items():
        landmarks = clip.landmarks * np.float32(factor)
        landmarks[..., 0] += np.float32(shift_x)
        clips[name] = Clip(clip.name, clip.start_s, clip.end_s, clip.jpeg, landmarks, clip.to_px * np.float32(factor),
                           clip.shapes, clip.pose)  # fmt: skip
    w, h = assets.frame_size
    return replace(assets, frame_size=(round(w * factor), round(h * factor)), clips=clips)


def _assets() -> AvatarAssets:
    return AvatarAssets.from_bytes(rendered().assets_path.read_bytes())


def test_a_720p_sample_is_too_small_for_a_1080x1920_stream() -> None:
    with pytest.raises(StreamConfigError) as caught:
        make_renderer(
            rendered().pki, _assets(), StreamConfig(width=1080, height=1920, fps=25, disclosure_languages="zh")
        )
    assert caught.value.code == "sample_too_small_for_portrait"
    assert "1280x720 sample" in caught.value.message
    assert "1080x1920" in caught.value.message


def test_a_360p_sample_is_too_small_for_a_720x1280_stream() -> None:
    small = _scaled(_assets(), 0.5)
    with pytest.raises(StreamConfigError) as caught:
        make_renderer(rendered().pki, small, StreamConfig(width=720, height=1280, fps=30, disclosure_languages="zh"))
    assert caught.value.code == "sample_too_small_for_portrait"
    assert "640x360 sample" in caught.value.message
    assert "at least 360x640 px" in caught.value.message


def test_a_subject_at_the_edge_of_the_sample_cannot_be_centred() -> None:
    edge = _scaled(_assets(), 1.0, shift_x=-560.0)
    with pytest.raises(StreamConfigError) as caught:
        make_renderer(rendered().pki, edge, StreamConfig(width=720, height=1280, fps=30, disclosure_languages="zh"))
    assert caught.value.code == "subject_not_centred"
