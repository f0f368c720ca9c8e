from __future__ import annotations

import numpy as np
import pytest

from render.engine.label import LabelCompositor, LabelSpec, contrast_ratio, default_safe_area, to_rgb
from render.engine.yuv import rgb_to_yuv420


def _labelled(width: int, height: int, t: float, spec: LabelSpec | None = None) -> tuple[np.ndarray, LabelCompositor]:
    compositor = LabelCompositor(spec)
    rng = np.random.default_rng(0)
    yuv = rgb_to_yuv420(rng.integers(0, 256, (height, width, 3), dtype=np.uint8))
    compositor.apply(yuv, t_seconds=t)
    return to_rgb(yuv), compositor


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080), (720, 1280)])
def test_the_corner_label_glyphs_are_at_least_five_percent_of_the_shortest_side(width, height):
    rgb, compositor = _labelled(width, height, t=10.0)
    x, y, w, h = compositor.parameters(width, height)["box"]
    plate = rgb[y : y + h, x : x + w].astype(int)
    # Measured on the output pixels: rows holding bright text ink, first text line ("AI生成") only.
    ink_rows = np.flatnonzero((plate.min(axis=2) > 180).any(axis=1))
    gaps = np.flatnonzero(np.diff(ink_rows) > 1)
    first_line = ink_rows[: gaps[0] + 1] if len(gaps) else ink_rows
    assert first_line[-1] - first_line[0] + 1 >= 0.05 * min(width, height)
    # In the default (top-left) corner of the safe area for the orientation.
    sx0, sy0, _, _ = default_safe_area(width, height).box(width, height)
    assert (x, y) == (sx0, sy0)


def test_the_label_text_has_at_least_4_5_to_1_contrast_against_its_plate_in_the_output():
    rgb, compositor = _labelled(1280, 720, t=10.0)
    x, y, w, h = compositor.parameters(1280, 720)["box"]
    pixels = rgb[y : y + h, x : x + w].reshape(-1, 3)
    luma = pixels.mean(axis=1)
    text = tuple(int(c) for c in np.median(pixels[luma > 200], axis=0))
    plate = tuple(int(c) for c in np.median(pixels[luma < 60], axis=0))
    assert contrast_ratio(text, plate) >= 4.5  # type: ignore[arg-type]


def test_the_opening_notice_shows_for_the_first_seconds_only():
    spec = LabelSpec(opening_seconds=2.0)
    for t, expected in ((0.0, True), (1.96, True), (2.0, False), (30.0, False)):
        rgb, compositor = _labelled(1280, 720, t=t, spec=spec)
        x, y, w, h = compositor.parameters(1280, 720)["opening_box"]
        region = rgb[y : y + h, x : x + w].astype(int)
        dark_plate_share = float((region.max(axis=2) < 40).mean())
        assert (dark_plate_share > 0.5) is expected, t


def test_the_label_is_drawn_on_every_frame_of_a_long_stream():
    compositor = LabelCompositor()
    x, y, w, h = compositor.parameters(1280, 720)["box"]
    for t in (0.0, 3600.0, 86_400.0):
        yuv = np.full((1080, 1280), 128, dtype=np.uint8)
        compositor.apply(yuv, t_seconds=t)
        assert (yuv[y : y + h, x : x + w] < 40).mean() > 0.5
