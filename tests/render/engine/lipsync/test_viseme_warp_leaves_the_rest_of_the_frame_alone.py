from __future__ import annotations

import cv2
import numpy as np

from render.engine.avatar.face import JAW_OVAL, LOWER_FACE_SKIN, OUTER_LIPS, apply_affine
from render.engine.lipsync.blend import feathered_polygon
from tests.render.engine.lipsync.rendered import engine, rendered


def _iod(to_px: np.ndarray) -> float:
    return float(np.sqrt(abs(np.linalg.det(to_px[:, :2].astype(np.float64)))))


def test_pixels_outside_the_lower_face_are_unchanged() -> None:
    bodies, _, frames = rendered()
    for body, out in zip(bodies, frames, strict=True):
        pts = body.landmarks[list(JAW_OVAL + LOWER_FACE_SKIN + OUTER_LIPS), :2]
        hull = cv2.convexHull(pts.astype(np.float32)).reshape(-1, 2)
        # The lower face may move by up to a third of an eye distance (the jaw drops); everything else must not.
        region = feathered_polygon(out.shape[:2], hull.astype(np.float64), grow=0.4 * _iod(body.to_px), sigma=0)
        outside = region == 0
        diff = np.abs(out.astype(int) - body.image.astype(int)).max(axis=2)
        assert diff[outside].max() == 0
        assert outside.mean() > 0.9


def test_there_is_no_visible_seam_at_the_mouth_mask_border() -> None:
    bodies, params, frames = rendered()
    targets = engine().targets(bodies, params.smoothed(engine().coarticulation_frames))
    ratios = []
    for body, target, out in zip(bodies, targets, frames, strict=True):
        iod = _iod(body.to_px)
        lips = apply_affine(body.to_px, target.canon[list(OUTER_LIPS)])
        alpha = feathered_polygon(out.shape[:2], lips, grow=0.07 * iod, sigma=0.05 * iod)
        border = (alpha > 0.1) & (alpha < 0.5)  # the outer half of the feather: skin in both images

        def grad(img: np.ndarray) -> np.ndarray:
            grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY).astype(np.float32)
            return np.hypot(cv2.Sobel(grey, cv2.CV_32F, 1, 0), cv2.Sobel(grey, cv2.CV_32F, 0, 1))

        ratios.append(grad(out)[border].mean() / (grad(body.image)[border].mean() + 1e-3))
    # Skin texture is preserved (no blur hole) and no edge appears (no seam): gradient energy stays near the source's.
    assert 0.5 < float(np.median(ratios)) < 1.3, ratios
    assert max(ratios) < 1.8, ratios
