"""A synthetic "talking" sample clip made from a public-domain portrait, for tests, benchmarks and the demo.

The portrait is scikit-image's `astronaut` (Eileen Collins, NASA, public domain). The clip has a gentle zoom and pan,
a mouth that opens and widens with a syllable rhythm (made by warping the lower face with the same deformation model
the lip-sync engine uses, and painting the opened gap as a dark mouth interior below her upper teeth), stretches of a
closed mouth (so an idle loop exists), and a skin-coloured "hand" that waves in the body region during the gesture
windows (so motion-based gesture suggestion has something to find). Frames are rendered lazily on indexing, so a 60 s
720p sample needs no 4 GB array.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

from render.engine.avatar.face import (
    INNER_LIPS,
    apply_affine,
    detect_landmarks,
    eye_frame,
    invert_affine,
    mouth_shape,
)
from render.engine.avatar.warp import (
    DEFORMED_POINTS,
    border_anchors,
    deform_lower_face,
    sample_pixels,
    to_image,
    to_tensor,
    tps_map,
)

OPEN_LEVELS = 9
WIDTH_LEVELS = 3


@lru_cache(maxsize=2)
def _portrait(height: int) -> NDArray[np.uint8]:
    import cv2
    from skimage import data

    img = data.astronaut()[0:400, 56:456]  # head and shoulders, square
    return np.ascontiguousarray(cv2.resize(img, (height, height), interpolation=cv2.INTER_CUBIC))


def syllable_track(n: int, fps: float, *, seed: int, closed: Sequence[tuple[float, float]]) -> NDArray[np.float32]:
    """Mouth opening in [0, 1] per frame: ~4 syllables/s with random strength, zero inside the `closed` windows."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / fps
    out = np.zeros(n, dtype=np.float32)
    start = 0.0
    while start < t[-1] + 1:
        dur = rng.uniform(0.18, 0.32)
        amp = rng.uniform(0.35, 1.0)
        inside = (t >= start) & (t < start + dur)
        out[inside] = amp * np.sin(np.pi * (t[inside] - start) / dur) ** 2
        start += dur + rng.uniform(0.0, 0.08)
    for a, b in closed:
        out[(t >= a) & (t < b)] = 0.0
    return out


class TalkingPortrait(Sequence[NDArray[np.uint8]]):
    """Lazy sequence of RGB frames of the astronaut "talking"; `opening[i]` is the mouth opening drawn in frame i."""

    def __init__(
        self,
        *,
        seconds: float = 4.0,
        fps: float = 25.0,
        size: tuple[int, int] = (1280, 720),
        seed: int = 7,
        closed: Sequence[tuple[float, float]] = ((0.0, 1.2),),
        gestures: Sequence[tuple[float, float]] = ((2.0, 3.0),),
    ) -> None:
        import cv2

        self.fps = float(fps)
        self.size = size
        self.n_frames = round(seconds * fps)
        self.gestures = tuple(gestures)
        w, h = size
        self._portrait = _portrait(h)
        pts = detect_landmarks(self._portrait, track=False)
        if pts is None:  # pragma: no cover - the bundled portrait always has a face
            raise RuntimeError("mediapipe found no face in the portrait")
        self._landmarks = pts
        self.opening = syllable_track(self.n_frames, self.fps, seed=seed, closed=closed)
        rng = np.random.default_rng(seed + 1)
        self.spread = np.clip(0.5 + 0.5 * np.sin(np.arange(self.n_frames) / fps * 2.1 + rng.uniform(0, 6)), 0, 1)
        cover = cv2.resize(self._portrait, (w, w))[(w - h) // 2 : (w - h) // 2 + h]
        self._background = cv2.GaussianBlur(cover, (0, 0), 25)
        self._variants: dict[tuple[int, int], NDArray[np.uint8]] = {}

    def __len__(self) -> int:
        return self.n_frames

    @overload
    def __getitem__(self, index: int) -> NDArray[np.uint8]: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[NDArray[np.uint8]]: ...
    def __getitem__(self, index: int | slice) -> NDArray[np.uint8] | Sequence[NDArray[np.uint8]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.n_frames))]
        if index < 0:
            index += self.n_frames
        if not 0 <= index < self.n_frames:
            raise IndexError(index)
        return self._render(index)

    def _variant(self, level: int, wlevel: int) -> NDArray[np.uint8]:
        key = (level, wlevel)
        if key not in self._variants:
            self._variants[key] = self._open_mouth(level / (OPEN_LEVELS - 1), wlevel / (WIDTH_LEVELS - 1))
        return self._variants[key]

    def _open_mouth(self, amount: float, spread: float) -> NDArray[np.uint8]:
        import cv2

        img = self._portrait
        if amount <= 0 and spread == 0.5:
            return img
        pts = self._landmarks
        to_canon = eye_frame(pts)
        canon = apply_affine(to_canon, pts)
        shape = mouth_shape(canon)
        target = deform_lower_face(
            canon,
            shape,
            opening=shape.opening + 0.27 * amount,
            width=shape.width * (1 + 0.12 * (spread - 0.5)),
            rounding=0.0,
        )
        to_px = invert_affine(to_canon)
        idx = list(DEFORMED_POINTS)
        src = apply_affine(to_px, canon[idx])
        dst = apply_affine(to_px, target[idx])
        x0, y0 = np.floor(np.minimum(src.min(0), dst.min(0)) - 25).astype(int)
        x1, y1 = np.ceil(np.maximum(src.max(0), dst.max(0)) + 25).astype(int)
        rw, rh = x1 - x0, y1 - y0
        anchors = border_anchors(x0, y0, rw, rh, 12.0)
        coords = tps_map(np.vstack([dst, anchors]), np.vstack([src, anchors]), x0, y0, rw, rh)
        warped = to_image(sample_pixels(to_tensor(img), coords))
        out = img.copy()
        out[y0:y1, x0:x1] = warped
        # The opened gap: dark mouth interior, with the original upper teeth kept where they were.
        inner_target = apply_affine(to_px, target[list(INNER_LIPS)])
        inner_orig = pts[list(INNER_LIPS), :2]
        gap = np.zeros(img.shape[:2], np.uint8)
        cv2.fillPoly(gap, [np.round(inner_target * 4).astype(np.int32)], 255, cv2.LINE_AA, shift=2)
        teeth = np.zeros_like(gap)
        cv2.fillPoly(teeth, [np.round(inner_orig * 4).astype(np.int32)], 255, cv2.LINE_AA, shift=2)
        interior = cv2.GaussianBlur(gap.astype(np.float32) / 255, (0, 0), 1.0)[..., None]
        keep = cv2.GaussianBlur(teeth.astype(np.float32) / 255, (0, 0), 0.8)[..., None] * interior
        ys = np.arange(img.shape[0], dtype=np.float32)[:, None, None]
        centre_y = inner_target[:, 1].mean()
        shade = np.clip(1.0 - np.abs(ys - centre_y) / max(np.ptp(inner_target[:, 1]), 1.0), 0, 1)
        dark = np.array([70, 28, 30], np.float32) * (0.55 + 0.45 * shade)
        mixed = out.astype(np.float32) * (1 - interior) + dark * interior
        mixed = mixed * (1 - keep) + img.astype(np.float32) * keep
        return np.clip(mixed, 0, 255).astype(np.uint8)

    def _render(self, i: int) -> NDArray[np.uint8]:
        import cv2

        level = round(float(self.opening[i]) * (OPEN_LEVELS - 1))
        wlevel = round(float(self.spread[i]) * (WIDTH_LEVELS - 1))
        face = self._variant(level, wlevel)
        t = i / self.fps
        w, h = self.size
        side = face.shape[0]
        scale = 1.0 + 0.015 * math.sin(2 * math.pi * t / 4.0)
        tx = (w - side * scale) / 2 + 5 * math.sin(2 * math.pi * t / 3.0)
        ty = (h - side * scale) / 2 + 3 * math.sin(2 * math.pi * t / 5.0)
        m = np.array([[scale, 0, tx], [0, scale, ty]], dtype=np.float64)
        frame: Any = self._background.copy()
        cv2.warpAffine(face, m, (w, h), dst=frame, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_TRANSPARENT)
        for a, b in self.gestures:
            if a <= t < b:
                self._draw_hand(frame, (t - a) / (b - a), m)
        return np.asarray(frame, dtype=np.uint8)

    def _draw_hand(self, frame: NDArray[np.uint8], phase: float, m: NDArray[np.float64]) -> None:
        import cv2

        side = self._portrait.shape[0]
        # A raised forearm and hand waving beside the shoulder, in portrait coordinates, then zoomed/panned.
        cx = side * (0.20 + 0.09 * math.sin(2 * math.pi * phase * 3))
        cy = side * (0.78 - 0.30 * math.sin(math.pi * phase))
        hand, elbow = apply_affine(m, np.array([[cx, cy], [side * 0.16, side * 1.05]]))
        s = m[0, 0] * side / 720
        cv2.line(frame, (int(elbow[0]), int(elbow[1])), (int(hand[0]), int(hand[1])), (230, 95, 45), int(70 * s))
        cv2.ellipse(frame, (int(hand[0]), int(hand[1])), (int(45 * s), int(62 * s)), 10, 0, 360, (226, 170, 140), -1)
