"""The watermark is invisible: PSNR of at least 42 dB against the unmarked frame, a small largest change, and less
change on flat areas and smooth skin than on texture. Side-by-side crops (unmarked | marked | difference x4 around
mid-grey) are saved under test-artifacts/watermark/ to be looked at."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from render.engine.watermark import psnr
from tests.render.engine.watermark.media import source_frames

ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts" / "watermark"
# (name, x, y, w, h) at 720p: the face, a flat patch of the backdrop, a textured patch.
CROPS = (("face", 452, 30, 256, 256), ("flat", 980, 20, 140, 180), ("texture", 400, 480, 192, 192))


def test_every_frame_is_at_least_42_db():
    frames, marked = source_frames()
    values = [psnr(a, b) for a, b in zip(frames, marked, strict=True)]
    assert min(values) >= 42.0, min(values)
    assert max(int(np.abs(a.astype(int) - b.astype(int)).max()) for a, b in zip(frames, marked, strict=True)) <= 12


def test_flat_areas_change_less_than_texture():
    frames, marked = source_frames()
    diff = np.abs(marked[10].astype(np.float32) - frames[10].astype(np.float32))
    flat = diff[20:200, 980:1120].mean()
    texture = diff[480:672, 400:592].mean()
    assert flat < texture


def test_side_by_side_crops_are_saved_for_inspection():
    import cv2

    frames, marked = source_frames()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, x, y, w, h in CROPS:
        a = frames[10][y : y + h, x : x + w]
        b = marked[10][y : y + h, x : x + w]
        amplified = np.clip(128 + 4 * (b.astype(np.int16) - a.astype(np.int16)), 0, 255).astype(np.uint8)
        sheet = np.concatenate([a, b, amplified], axis=1)
        sheet = cv2.resize(sheet, (sheet.shape[1] * 2, sheet.shape[0] * 2), interpolation=cv2.INTER_NEAREST)
        path = ARTIFACTS / f"{name}.png"
        assert cv2.imwrite(str(path), sheet)
        assert path.stat().st_size > 1000
