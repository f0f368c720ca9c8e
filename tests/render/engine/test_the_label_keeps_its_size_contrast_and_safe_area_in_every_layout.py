"""The visible label in every layout the platform offers, measured on the published encoding as ffmpeg decodes it:
glyphs at least 5 % of the frame's shorter side, text/plate contrast at least 4.5:1, both overlays inside the safe
area (in portrait: below the status bar and the live room's top row, above the comments)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from render.engine.encode import EncoderSettings, IndependentSegmentEncoder
from render.engine.label import (
    MIN_CONTRAST_RATIO,
    MIN_HEIGHT_FRACTION,
    PORTRAIT_SAFE_AREA,
    LabelCompositor,
    SafeArea,
    contrast_ratio,
    default_safe_area,
)
from render.engine.options import BITRATES, SUPPORTED_SIZES
from render.engine.yuv import rgb_to_yuv420
from tests.render.engine.outside_tools import decoded_frames


def _published(width: int, height: int, tmp_path: Path, spec_area: SafeArea | None = None) -> tuple[np.ndarray, dict]:
    """One labelled 2 s segment over a busy picture, encoded as streams are, decoded by ffmpeg: (frame 0, params)."""
    from render.engine.label import LabelSpec

    compositor = LabelCompositor(LabelSpec(safe_area=spec_area))
    rng = np.random.default_rng(3)
    background = rng.integers(60, 256, (height // 8, width // 8, 3), dtype=np.uint8).repeat(8, 0).repeat(8, 1)
    settings = EncoderSettings(width=width, height=height, fps=25, video_bitrate=BITRATES[min(width, height)])
    encoder = IndependentSegmentEncoder(settings)
    frames = []
    for i in range(settings.frames_per_segment):
        yuv = rgb_to_yuv420(background)
        compositor.apply(yuv, t_seconds=i / 25)
        frames.append(yuv)
    video = encoder.encode_video(0, iter(frames))
    segment = encoder.mux(0, video, 0, [])
    path = tmp_path / f"label_{width}x{height}.mp4"
    path.write_bytes(encoder.init_segment + segment.data)
    decoded = decoded_frames(path)
    assert decoded.shape == (settings.frames_per_segment, height, width, 3)
    return decoded[0], compositor.parameters(width, height)


def _first_line_height(plate: np.ndarray) -> int:
    ink_rows = np.flatnonzero((plate.min(axis=2) > 180).sum(axis=1) >= 2)
    gaps = np.flatnonzero(np.diff(ink_rows) > 1)
    first = ink_rows[: gaps[0] + 1] if len(gaps) else ink_rows
    return int(first[-1] - first[0] + 1)


@pytest.mark.parametrize(("width", "height"), list(SUPPORTED_SIZES))
def test_size_contrast_and_position_hold_in_the_decoded_output(width: int, height: int, tmp_path: Path) -> None:
    frame, params = _published(width, height, tmp_path)
    short = min(width, height)
    x0, y0, x1, y1 = default_safe_area(width, height).box(width, height)
    for key in ("box", "opening_box"):
        x, y, w, h = params[key]
        assert x0 <= x, key
        assert x + w <= x1, key
        assert y0 <= y, key
        assert y + h <= y1, key
        plate = frame[y : y + h, x : x + w].astype(int)
        assert _first_line_height(plate) >= MIN_HEIGHT_FRACTION * short, key
        pixels = plate.reshape(-1, 3)
        luma = pixels.mean(axis=1)
        text = tuple(int(c) for c in np.median(pixels[luma > 200], axis=0))
        ground = tuple(int(c) for c in np.median(pixels[luma < 60], axis=0))
        assert contrast_ratio(text, ground) >= MIN_CONTRAST_RATIO, key  # type: ignore[arg-type]
    x, y, _, _ = params["box"]
    # The corner label sits top-left: in portrait below the status bar and the room's top row.
    assert x < width // 4
    assert y < height // 4
    if height > width:
        assert y >= PORTRAIT_SAFE_AREA.top * height


def test_a_configured_safe_area_moves_the_label_and_keeps_its_size(tmp_path: Path) -> None:
    area = SafeArea(top=0.30, left=0.10, bottom=0.30, right=0.10)
    frame, params = _published(720, 1280, tmp_path, area)
    x, y, w, h = params["box"]
    assert (x, y) == (area.box(720, 1280)[0], area.box(720, 1280)[1])
    assert _first_line_height(frame[y : y + h, x : x + w].astype(int)) >= MIN_HEIGHT_FRACTION * 720
