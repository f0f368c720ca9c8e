"""Thin-plate-spline image warps (torch grid_sample) and the parametric lower-face deformation model.

The warp is backward: we fit a thin-plate spline from *destination* control points to *source* control points, evaluate
it on a coarse grid over the region of interest (the field is smooth, so a stride of 4 px upsampled bilinearly is
indistinguishable from the full evaluation and ~16× cheaper), and let `grid_sample` fetch the pixels. Fixed anchor
points on the border of the region keep the warp exactly zero where it is pasted back.

The deformation model says how the landmarks of the lower face move when the mouth opens, widens or rounds. It is a
fixed, model-free field in canonical units (IOD): the jaw rotates the lower lip and chin down (the upper lip rises a
little), the corners follow half-way, the stretch fades out over the cheeks; widening moves the corners along the
mouth line with a fall-off; rounding pulls the corners in and pushes the lips out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from render.engine.avatar.face import (
    INNER_LIPS,
    JAW_OVAL,
    LOWER_FACE_SKIN,
    MOUTH_LEFT,
    MOUTH_RIGHT,
    OUTER_LIPS,
    MouthShape,
)

if TYPE_CHECKING:
    import torch

# Lip ring halves (the two corners of each ring are handled on their own).
_LOWER_RING = set(OUTER_LIPS[1:10]) | set(INNER_LIPS[1:10])
_UPPER_RING = set(OUTER_LIPS[11:]) | set(INNER_LIPS[11:])
_CORNERS = {MOUTH_LEFT, MOUTH_RIGHT, INNER_LIPS[0], INNER_LIPS[10]}
_OUTER_SET = set(OUTER_LIPS)
_INNER_SET = set(INNER_LIPS)
DEFORMED_POINTS = tuple(dict.fromkeys((*OUTER_LIPS, *INNER_LIPS, *LOWER_FACE_SKIN, *JAW_OVAL)))

# Inner-lip gap (IOD) that jaw_open = 1 asks for: a clearly open speaking mouth, not a yawn.
MAX_OPENING = 0.30


def tps_coefficients(dst: NDArray[np.float64], src: NDArray[np.float64], reg: float = 1e-6) -> NDArray[np.float64]:
    """Coefficients (N+3)×2 of the spline f with f(dst_i) ≈ src_i (regularised so coincident points are fine)."""
    n = len(dst)
    # x and y apart: a reduction over a length-2 axis costs 10x more than two subtractions (same values).
    dx = dst[:, 0:1] - dst[:, 0]
    dy = dst[:, 1:2] - dst[:, 1]
    d2 = dx * dx + dy * dy
    k = np.where(d2 > 0, d2 * np.log(np.maximum(d2, 1e-12)), 0.0)
    scale = max(float(np.abs(k).mean()), 1e-9)
    p = np.hstack([np.ones((n, 1)), dst])
    a = np.zeros((n + 3, n + 3))
    a[:n, :n] = k + reg * scale * np.eye(n)
    a[:n, n:] = p
    a[n:, :n] = p.T
    b = np.zeros((n + 3, 2))
    b[:n] = src
    try:
        return np.asarray(np.linalg.solve(a, b), dtype=np.float64)
    except np.linalg.LinAlgError:
        return np.asarray(np.linalg.lstsq(a, b, rcond=None)[0], dtype=np.float64)


def tps_map(
    dst: NDArray[np.float64],
    src: NDArray[np.float64],
    x0: float,
    y0: float,
    width: int,
    height: int,
    *,
    stride: int = 4,
    device: str = "cpu",
) -> torch.Tensor:
    """Source coordinates (height×width×2, pixels) for every destination pixel of a region at (x0, y0)."""
    return tps_evaluate(tps_coefficients(dst, src), dst, x0, y0, width, height, stride=stride, device=device)


def tps_evaluate(
    coef: NDArray[np.float64],
    ctrl: NDArray[np.float64],
    x0: float,
    y0: float,
    width: int,
    height: int,
    *,
    stride: int = 4,
    device: str = "cpu",
) -> torch.Tensor:
    """A fitted spline evaluated over a pixel region: coarse grid every `stride` px, bilinearly upsampled.

    Evaluated on `device`: the spline solve is tiny and stays in numpy, but the evaluation (every grid point against
    every control point) and the upsampling are the bulk of a frame's warp, and on a GPU worker doing them there also
    saves copying the field over."""
    import torch
    import torch.nn.functional as F  # noqa: N812

    gh, gw = (height + stride - 1) // stride + 1, (width + stride - 1) // stride + 1
    # Coordinates relative to the region's corner keep float32 accurate to well under a pixel.
    ys = torch.arange(gh, dtype=torch.float32, device=device) * stride
    xs = torch.arange(gw, dtype=torch.float32, device=device) * stride
    gy, gx = torch.meshgrid(ys, xs, indexing="ij")
    pts = torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1)
    ctrl_local = torch.from_numpy((ctrl - np.array([x0, y0])).astype(np.float32)).to(device)
    # x and y apart rather than a (points, controls, 2) difference summed over its last axis: same values, 2.5x less.
    dx = pts[:, 0:1] - ctrl_local[:, 0]
    dy = pts[:, 1:2] - ctrl_local[:, 1]
    d2 = dx * dx + dy * dy
    u = d2 * torch.log(d2.clamp_min(1e-20))
    w = torch.from_numpy(coef.astype(np.float32)).to(device)
    # The affine part uses absolute coordinates, as the coefficients were fitted in them.
    mapped = u @ w[:-3] + w[-3] + (pts[:, :1] + x0) * w[-2] + (pts[:, 1:] + y0) * w[-1]
    field = mapped.reshape(gh, gw, 2).permute(2, 0, 1)[None]
    # Upsample the coarse field to every pixel: align the coarse sample k with pixel k*stride.
    full = F.interpolate(
        field, size=((gh - 1) * stride + 1, (gw - 1) * stride + 1), mode="bilinear", align_corners=True
    )
    return full[0, :, :height, :width].permute(1, 2, 0)


def sample_pixels(image: torch.Tensor, coords: torch.Tensor) -> torch.Tensor:
    """Bilinear sample of a C×H×W float image at pixel coordinates (h×w×2, x then y); outside reads the border."""
    import torch.nn.functional as F  # noqa: N812

    _, h, w = image.shape
    grid = coords.clone()
    grid[..., 0] = grid[..., 0] * (2.0 / max(w - 1, 1)) - 1.0
    grid[..., 1] = grid[..., 1] * (2.0 / max(h - 1, 1)) - 1.0
    return F.grid_sample(image[None], grid[None], mode="bilinear", padding_mode="border", align_corners=True)[0]


def border_anchors(x0: float, y0: float, width: int, height: int, step: float) -> NDArray[np.float64]:
    """Points along the border of a rectangle, so that a warp fitted with them is zero there."""
    nx, ny = max(int(width / step), 2), max(int(height / step), 2)
    xs = np.linspace(x0, x0 + width - 1, nx + 1)
    ys = np.linspace(y0, y0 + height - 1, ny + 1)
    top = np.stack([xs, np.full_like(xs, y0)], 1)
    bottom = np.stack([xs, np.full_like(xs, y0 + height - 1)], 1)
    left = np.stack([np.full_like(ys[1:-1], x0), ys[1:-1]], 1)
    right = np.stack([np.full_like(ys[1:-1], x0 + width - 1), ys[1:-1]], 1)
    return np.vstack([top, bottom, left, right])


def target_width(rest_width: float, lip_width: float, lip_round: float) -> float:
    """Corner-to-corner width (IOD) for the requested spread (0.5 = rest) and rounding."""
    return rest_width * (1.0 + 0.24 * (lip_width - 0.5) - 0.16 * lip_round)


def deform_lower_face(
    canon: NDArray[np.floating[Any]], current: MouthShape, *, opening: float, width: float, rounding: float
) -> NDArray[np.float64]:
    """Canonical landmarks moved so the mouth has `opening` and `width` (IOD) and `rounding` in [0, 1].

    Only the points in DEFORMED_POINTS move; everything else is returned unchanged.
    """
    out = np.array(canon[:, :2], dtype=np.float64)
    left, right = out[MOUTH_LEFT], out[MOUTH_RIGHT]
    mx, my = (left + right) / 2
    half = max(current.width / 2, 1e-3)
    a = opening - current.opening
    dw = width - current.width
    for i in DEFORMED_POINTS:
        u, v = out[i, 0] - mx, out[i, 1] - my
        t = min(abs(u) / half, 1.0)
        if i in _CORNERS:
            dy = 0.45 * a
        elif i in _LOWER_RING:
            dy = a * (0.85 - 0.4 * t * t)
        elif i in _UPPER_RING:
            dy = a * (-0.15 + 0.6 * t * t)
        else:
            lateral = np.exp(-((max(abs(u) - half, 0.0) / 0.45) ** 2))
            dy = a * 0.85 * min(max((v + 0.1) / 0.3, 0.0), 1.0) * lateral
        on_lips = i in _OUTER_SET or i in _INNER_SET
        spread = float(np.clip(u / half, -1.0, 1.0))
        if on_lips:
            dx = dw / 2 * spread
        else:
            dx = dw / 2 * spread * np.exp(-((max(abs(u) - half, 0.0) / 0.35) ** 2)) * np.exp(-((v / 0.35) ** 2))
        if rounding > 0 and on_lips and i not in _CORNERS:
            bulge = 0.035 * rounding * (1.0 - t * t)
            if i in _OUTER_SET:
                dy += bulge if i in _LOWER_RING else -bulge
            else:
                # The inner opening narrows at the sides: an "o" rather than a slit.
                dx -= 0.3 * rounding * u * t
        out[i, 0] += dx
        out[i, 1] += dy
    return out


def to_tensor(image: NDArray[np.uint8], device: str = "cpu") -> torch.Tensor:
    import torch

    return torch.from_numpy(np.ascontiguousarray(image)).to(device).permute(2, 0, 1).float()


def to_image(tensor: torch.Tensor) -> NDArray[np.uint8]:
    import torch

    arr = torch.clamp(tensor.round(), 0, 255).to(torch.uint8).permute(1, 2, 0).cpu().numpy()
    return np.ascontiguousarray(arr)
