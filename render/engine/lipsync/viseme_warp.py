"""`viseme-warp`: the default, model-free lip-sync engine (torch, CPU or CUDA).

For every output frame:
1. the requested mouth parameters become a target lower-face shape (the deformation model in
   `render.engine.avatar.warp`, applied to this body frame's own landmarks in the canonical face frame);
2. the lower face (jaw, chin, cheeks, outer lips) is warped from its current shape to the target with a thin-plate
   spline evaluated by `grid_sample`; anchors on the region's border keep everything else still;
3. the mouth itself (lips, teeth, interior) comes from the avatar's mouth bank: a Viterbi unit selection picks, per
   frame, the bank entry whose shape best matches the target with a smoothness cost, and that crop is warped so its
   lip rings land on the target lip rings;
4. the bank mouth is blended onto the warped frame with a feathered mask and colour matched on the surrounding skin,
   and the warped lower face is blended back into the untouched frame with a second, wider feathered mask.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    import torch

from render.engine.avatar.assets import AvatarAssets, BodyFrame
from render.engine.avatar.face import (
    INNER_LIPS,
    JAW_OVAL,
    LIP_POINTS,
    OUTER_LIPS,
    MouthShape,
    apply_affine,
    invert_affine,
    mouth_shape,
)
from render.engine.avatar.warp import (
    DEFORMED_POINTS,
    border_anchors,
    deform_lower_face,
    sample_pixels,
    target_width,
    to_image,
    to_tensor,
    tps_coefficients,
    tps_evaluate,
    tps_map,
)
from render.engine.lipsync.blend import compute_threads, feathered_polygon, match_and_blend
from render.engine.lipsync.params import MouthParams
from render.engine.lipsync.unit_selection import appearance_distances, select_units

_INNER_SET = set(INNER_LIPS)
_GEOMETRY_POINTS = [i for i in DEFORMED_POINTS if i not in _INNER_SET]


@dataclass(frozen=True)
class MouthTarget:
    """Where the mouth should be in one frame: canonical target landmarks and their shape features."""

    canon: NDArray[np.float64]
    current: MouthShape
    features: NDArray[np.float32]


class VisemeWarpEngine:
    name = "viseme-warp"

    def __init__(
        self,
        assets: AvatarAssets,
        *,
        device: str = "cpu",
        coarticulation_frames: float = 0.8,
        threads: int | None = 1,
    ) -> None:
        import torch

        if device.startswith("cuda") and not torch.cuda.is_available():
            raise ValueError(f"device {device!r} requested but CUDA is not available")
        self.assets = assets
        self.device = device
        self.coarticulation_frames = coarticulation_frames
        self.threads = threads
        bank = assets.bank
        openings = bank.features[:, 0]
        # jaw_open 0..1 spans the openings the bank can show, so every target has real mouths to draw from.
        self.open_lo = float(openings.min())
        self.open_hi = max(float(np.percentile(openings, 98)), self.open_lo + 0.1)
        self._appearance = appearance_distances(bank)
        self._bank_tensor = torch.from_numpy(bank.crops).to(device).permute(0, 3, 1, 2).float()
        u0, v0, u1, v1 = bank.box
        ch, cw = bank.crops.shape[1:3]
        self._bank_scale = np.array([cw / (u1 - u0), ch / (v1 - v0)])
        self._bank_origin = np.array([u0, v0])

    # -- planning ---------------------------------------------------------------------------------------------------
    def targets(self, bodies: Sequence[BodyFrame], params: MouthParams) -> list[MouthTarget]:
        out = []
        for body, o, w, r in zip(bodies, params.jaw_open, params.lip_width, params.lip_round, strict=True):
            canon = apply_affine(invert_affine(body.to_px), body.landmarks)
            current = mouth_shape(canon)
            target = deform_lower_face(
                canon,
                current,
                opening=self.open_lo + float(o) * (self.open_hi - self.open_lo),
                width=target_width(self.assets.rest_width, float(w), float(r)),
                rounding=float(r),
            )
            out.append(MouthTarget(target, current, mouth_shape(target).as_array()))
        return out

    def render(self, bodies: Iterable[BodyFrame], params: Any) -> Iterator[NDArray[np.uint8]]:
        """Frames with the mouth driven by `params` (MouthParams or a speech mouth track), one per body frame."""
        mouth = MouthParams.from_track(params).smoothed(self.coarticulation_frames)
        body_list = list(bodies)
        if len(body_list) != len(mouth):
            raise ValueError(f"{len(body_list)} body frames but {len(mouth)} frames of mouth parameters")
        targets = self.targets(body_list, mouth)
        units = select_units(
            self.assets.bank,
            np.stack([t.features for t in targets]) if targets else np.zeros((0, 3), np.float32),
            appearance=self._appearance,
        )
        for body, target, unit in zip(body_list, targets, units, strict=True):
            with compute_threads(self.threads):
                frame = self.render_frame(body, target, int(unit))
            yield frame

    # -- one frame --------------------------------------------------------------------------------------------------
    def render_frame(self, body: BodyFrame, target: MouthTarget, unit: int) -> NDArray[np.uint8]:
        import torch

        image = body.image
        h, w = image.shape[:2]
        m = body.to_px.astype(np.float64)
        iod = float(np.sqrt(abs(np.linalg.det(m[:, :2]))))
        canon = apply_affine(invert_affine(m), body.landmarks)

        src = apply_affine(m, canon[_GEOMETRY_POINTS])
        dst = apply_affine(m, target.canon[_GEOMETRY_POINTS])
        jaw_px = apply_affine(m, canon[list(JAW_OVAL)])
        pts = np.vstack([src, dst, jaw_px])
        margin = 0.25 * iod
        x0 = int(max(np.floor(pts[:, 0].min() - margin), 0))
        y0 = int(max(np.floor(pts[:, 1].min() - margin), 0))
        x1 = int(min(np.ceil(pts[:, 0].max() + margin), w))
        y1 = int(min(np.ceil(pts[:, 1].max() + margin), h))
        rw, rh = x1 - x0, y1 - y0
        if rw < 8 or rh < 8:
            return image.copy()
        roi = to_tensor(image[y0:y1, x0:x1], self.device)
        anchors = border_anchors(x0, y0, rw, rh, max(0.3 * iod, 8.0))
        coords = tps_map(
            np.vstack([dst, anchors]), np.vstack([src, anchors]), x0, y0, rw, rh, stride=8, device=self.device
        )
        coords = coords - torch.tensor([x0, y0], dtype=coords.dtype, device=self.device)
        warped = sample_pixels(roi, coords)
        result = self.compose_mouth(
            roi, warped, m=m, target=target.canon, unit=unit, region=(x0, y0, rw, rh), iod=iod, src=src, dst=dst
        )
        out = image.copy()
        out[y0:y1, x0:x1] = to_image(result)
        return out

    def compose_mouth(
        self,
        roi: torch.Tensor,
        warped: torch.Tensor,
        *,
        m: NDArray[np.float64],
        target: NDArray[np.float64],
        unit: int,
        region: tuple[int, int, int, int],
        iod: float,
        src: NDArray[np.float64],
        dst: NDArray[np.float64],
        mouth_stride: int = 4,
    ) -> torch.Tensor:
        """`roi` (the lower-face region (x0, y0, width, height)) with the bank mouth `unit` put into `warped`, the
        region warped from `src` to `dst`, and that blended back; `target` are the canonical target landmarks."""
        import torch

        x0, y0, rw, rh = region
        # The bank mouth, warped so its lip rings land on the target lip rings.
        bank = self.assets.bank
        lips_dst = apply_affine(m, target[list(LIP_POINTS)]) - np.array([x0, y0])
        lips_src = (bank.lips[unit].astype(np.float64) - self._bank_origin) * self._bank_scale
        coef = tps_coefficients(lips_dst, lips_src, reg=1e-3)
        # Only the mouth's box is worked on: the outer lips grown by the feather and 4 sigma of its blur, outside
        # which the mouth's alpha is 0 (a third of the lower-face region; the spline, the sampling, the mask and
        # the colour match were evaluated over all of it).
        outer = lips_dst[: len(OUTER_LIPS)]
        grow, sigma = 0.07 * iod, 0.05 * iod
        pad = grow + 4 * sigma + 2
        bx0, by0 = max(int(np.floor(outer[:, 0].min() - pad)), 0), max(int(np.floor(outer[:, 1].min() - pad)), 0)
        bx1, by1 = min(int(np.ceil(outer[:, 0].max() + pad)), rw), min(int(np.ceil(outer[:, 1].max() + pad)), rh)
        bw, bh = bx1 - bx0, by1 - by0
        composed = warped
        if bw > 0 and bh > 0:
            mouth_coords = tps_evaluate(coef, lips_dst, bx0, by0, bw, bh, stride=mouth_stride, device=self.device)
            mouth = sample_pixels(self._bank_tensor[unit], mouth_coords)
            alpha_mouth = feathered_polygon((bh, bw), outer - np.array([bx0, by0]), grow=grow, sigma=sigma)
            composed = warped.clone()
            composed[:, by0:by1, bx0:bx1] = match_and_blend(
                warped[:, by0:by1, bx0:bx1], mouth, torch.from_numpy(alpha_mouth).to(self.device)
            )

        # Blend the warped lower face back: exactly the original outside the region the warp touched.
        hull = _convex_hull(np.vstack([src, dst]) - np.array([x0, y0]))
        alpha_face = feathered_polygon((rh, rw), hull, grow=0.05 * iod, sigma=0.06 * iod)
        return torch.lerp(roi, composed, torch.from_numpy(alpha_face).to(self.device)[None])


def _convex_hull(points: NDArray[np.float64]) -> NDArray[np.float64]:
    import cv2

    hull = cv2.convexHull(points.astype(np.float32))
    return np.asarray(hull.reshape(-1, 2), dtype=np.float64)
