"""Framing an avatar for an output whose shape differs from the sample's (a portrait live room from landscape footage).

The crop is computed from the face landmarks found at avatar build, over every frame of every clip, so a gesture
never leaves the picture: head and upper body, the face centred across, `HEADROOM` of the crop's height above the
top of the head, the head (crown to chin) about `HEAD_FRACTION` of the height. Where the sample is not large enough
for that, the crop shrinks to what the sample has (a closer shot), but never below half the output size in sample
pixels (`MAX_UPSCALE`): a sample too small to fill the frame sharply is refused with `FramingError`, naming the sizes.

`framed_assets` returns assets whose clips decode straight into the framed picture at the *working* size (the crop
itself, or the output size where the crop is larger: never more pixels than the sample has), with landmarks and
canonical transforms mapped the same way; the mouth bank and the reference face are in canonical (eye-frame) units and
do not change. The renderer scales each finished frame up to the output size (as it does for any sample smaller than
the stream), so lip-sync works on the sample's pixels: drawing the mouth on a face blown up 1.8x cost 2.4x the time
for no detail the sample does not have.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from render.engine.avatar.assets import AvatarAssets, Clip

# Above the crown, as a fraction of the frame height: the head must not touch the top edge (nor the label).
HEADROOM = 0.10
# Crown to chin as a fraction of the frame height: head and upper body, the framing of a seated host.
HEAD_FRACTION = 0.30
# The face mesh stops at the upper forehead; the crown is this many face-mesh heights above it.
CROWN_ABOVE_MESH = 0.25
# Output pixels per sample pixel, at most: beyond 2× the picture is visibly soft, so the sample is refused.
MAX_UPSCALE = 2.0
# How far the face centre may sit from the frame's centre line (fraction of the frame width) after clamping to the
# sample's edges before the subject counts as not centred.
MAX_CENTRE_OFFSET = 0.12


class FramingError(ValueError):
    """The sample cannot be framed for this output; `code` is stable, `message` names the sizes involved."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Framing:
    """An axis-aligned crop (x0, y0, width, height) of the sample scaled by `scale` to `out_size` (same aspect)."""

    x0: int
    y0: int
    width: int
    height: int
    out_size: tuple[int, int]

    @property
    def scale(self) -> float:
        """Output pixels per sample pixel."""
        return self.out_size[1] / self.height

    @property
    def work_scale(self) -> float:
        """Framed-asset pixels per sample pixel: shrink to the output size, never enlarge (the renderer does)."""
        return min(1.0, self.scale)

    @property
    def work_size(self) -> tuple[int, int]:
        return self.out_size if self.scale < 1.0 else (self.width, self.height)

    def matrix(self) -> NDArray[np.float64]:
        """2×3 map from sample pixels to framed-asset pixels (cv2.resize's pixel-centre convention)."""
        s = self.work_scale
        return np.array([[s, 0.0, s * (0.5 - self.x0) - 0.5], [0.0, s, s * (0.5 - self.y0) - 0.5]])

    def as_dict(self) -> dict[str, Any]:
        return {"crop": [self.x0, self.y0, self.width, self.height], "scale": round(self.scale, 4)}


def frame_subject(assets: AvatarAssets, width: int, height: int) -> Framing:
    """The crop of the sample that frames the subject for a `width`×`height` output; raises FramingError."""
    sw, sh = assets.frame_size
    pts = np.concatenate([c.landmarks[:, :, :2] for c in assets.clips.values()])  # (frames, 478, 2)
    top, chin = float(np.median(pts[:, :, 1].min(axis=1))), float(np.median(pts[:, :, 1].max(axis=1)))
    left, right = float(pts[:, :, 0].min()), float(pts[:, :, 0].max())
    centre_x = float(np.median(pts[:, :, 0].mean(axis=1)))
    crown = top - CROWN_ABOVE_MESH * (chin - top)

    # Crop sizes are whole multiples of the output's aspect unit, so the scale is the same across and down.
    g = math.gcd(width, height)
    unit_w, unit_h = width // g, height // g
    wanted = (chin - crown) / HEAD_FRACTION
    k = min(round(wanted / unit_h), sw // unit_w, sh // unit_h)
    if unit_w % 2 or unit_h % 2:
        k -= k % 2  # even sides: the crop is a YUV 4:2:0 picture of its own
    if k < 1:
        raise FramingError("sample_too_small_for_portrait", f"a {sw}x{sh} sample cannot be framed for {width}x{height}")
    crop_w, crop_h = k * unit_w, k * unit_h
    if width > MAX_UPSCALE * crop_w:
        raise FramingError(
            "sample_too_small_for_portrait",
            f"the {sw}x{sh} sample gives a {crop_w}x{crop_h} px picture of the subject; a {width}x{height} stream "
            f"needs at least {math.ceil(width / MAX_UPSCALE)}x{math.ceil(height / MAX_UPSCALE)} px (record the "
            "sample at a higher resolution or closer to the camera)",
        )
    x0 = min(max(round(centre_x - crop_w / 2), 0), sw - crop_w)
    y0 = min(max(round(crown - HEADROOM * crop_h), 0), sh - crop_h)
    if abs(centre_x - (x0 + crop_w / 2)) > MAX_CENTRE_OFFSET * crop_w or left < x0 or right > x0 + crop_w:
        raise FramingError(
            "subject_not_centred",
            f"the face (x {left:.0f}-{right:.0f} px) is too close to the edge of the {sw}x{sh} sample to be centred "
            f"in a {width}x{height} picture; record the person in the middle of the frame",
        )
    if chin > y0 + crop_h:
        raise FramingError(
            "subject_not_framed", f"the face does not fit a {width}x{height} picture cut from the {sw}x{sh} sample"
        )
    return Framing(x0, y0, crop_w, crop_h, (width, height))


@dataclass
class FramedClip(Clip):
    """A clip whose frames come out cropped and scaled to the framing (decoded once per frame, then cached)."""

    framing: Framing | None = field(default=None, repr=False, compare=False)
    _framed: dict[int, NDArray[np.uint8]] = field(default_factory=dict, repr=False, compare=False)

    def frame(self, index: int) -> NDArray[np.uint8]:
        import cv2

        index %= len(self.jpeg)
        framing = self.framing
        if framing is None:  # pragma: no cover - framed_assets always sets it
            return super().frame(index)
        cached = self._framed.get(index)
        if cached is not None:
            return cached
        source = super().frame(index)
        crop = source[framing.y0 : framing.y0 + framing.height, framing.x0 : framing.x0 + framing.width]
        rgb: Any = crop if framing.scale >= 1.0 else cv2.resize(crop, framing.work_size, interpolation=cv2.INTER_AREA)
        out: NDArray[np.uint8] = np.ascontiguousarray(rgb, dtype=np.uint8)
        out.flags.writeable = False
        self._framed[index] = out
        if len(self._framed) > 128:
            self._framed.pop(next(iter(self._framed)))
        return out


def framed_assets(assets: AvatarAssets, framing: Framing) -> AvatarAssets:
    """The same avatar seen through `framing`: frames, landmarks and canonical transforms in output pixels."""
    m = framing.matrix()
    s = framing.work_scale
    clips: dict[str, Clip] = {}
    for name, clip in assets.clips.items():
        landmarks = clip.landmarks.astype(np.float64)
        mapped = np.empty_like(landmarks)
        mapped[..., :2] = landmarks[..., :2] @ m[:, :2].T + m[:, 2]
        mapped[..., 2] = landmarks[..., 2] * s
        to_px = clip.to_px.astype(np.float64)
        framed_to_px = np.einsum("ij,njk->nik", m[:, :2], to_px)
        framed_to_px[:, :, 2] += m[:, 2]
        clips[name] = FramedClip(
            name=clip.name,
            start_s=clip.start_s,
            end_s=clip.end_s,
            jpeg=clip.jpeg,
            landmarks=mapped.astype(np.float32),
            to_px=framed_to_px.astype(np.float32),
            shapes=clip.shapes,
            pose=clip.pose,
            framing=framing,
        )
    return replace(
        assets, frame_size=framing.work_size, clips=clips, stats={**assets.stats, "framing": framing.as_dict()}
    )
