"""The visible AI label (GB 45438-2025 §5.4, rules.md §12 LIVE-LABEL-PERSISTENT).

Two overlays are burned into the picture:

- a persistent corner label ("AI生成", optionally "AI-generated" under it) on every frame, and
- an opening notice ("本直播由人工智能生成 / This livestream is AI-generated") for at least 2 s from stream start.

Both are drawn on an opaque backing plate so the WCAG contrast between text and plate holds on any background, with
glyph height of at least 5 % of the frame's *shortest* side (portrait video is sized by its width, not its height).
Both sit inside a safe area (`SafeArea`, configurable; by default `PORTRAIT_SAFE_AREA` or `LANDSCAPE_SAFE_AREA`)
where the live apps' own overlays do not cover them: the corner label top-left, below the status bar and the room's
top row in portrait; the opening notice centred at the safe area's bottom, above the comments.

Speed: each plate is rasterised once per (resolution, text) with Pillow, converted once to premultiplied YUV 4:2:0,
and then alpha-blended per frame with numpy on the plate's rectangle only.

Nothing here lets a caller switch the label off or shrink it: `LabelSpec` raises on any attempt, and the compositor
re-checks the rasterised glyph height against the frame it is drawing on.
"""

from __future__ import annotations

import functools
import math
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from render.engine.yuv import chroma_planes, rgb_to_yuv420

# GB 45438-2025 §5.4 f): text height not less than 5 % of the shortest side of the picture.
MIN_HEIGHT_FRACTION = 0.05
# GB 45438-2025 §5.4 g): the opening label lasts at least 2 s.
MIN_OPENING_SECONDS = 2.0
# Internal legibility floor (rules.md §12): WCAG 2.x contrast ratio between text and plate.
MIN_CONTRAST_RATIO = 4.5

Corner = Literal["top-left", "top-right", "bottom-left", "bottom-right"]
CORNERS: tuple[Corner, ...] = ("top-left", "top-right", "bottom-left", "bottom-right")


@dataclass(frozen=True)
class SafeArea:
    """The part of the picture no app overlay covers: insets from each edge, as fractions of the frame's height
    (top, bottom) and width (left, right). Both overlays are drawn inside it."""

    top: float
    left: float
    bottom: float
    right: float

    def __post_init__(self) -> None:
        for name in ("top", "left", "bottom", "right"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and 0 <= value < 0.5):
                raise LabelError(f"safe area {name} inset {value!r} must be a fraction of the frame from 0 to 0.5")

    def box(self, width: int, height: int) -> tuple[int, int, int, int]:
        """(x0, y0, x1, y1) in pixels, even corners (4:2:0)."""

        def up(v: float) -> int:  # inward to the next even pixel
            return -(-math.ceil(v - 1e-9) // 2) * 2

        return (
            up(self.left * width),
            up(self.top * height),
            _even(width * (1 - self.right)),
            _even(height * (1 - self.bottom)),
        )


# Portrait live rooms (Douyin, Taobao Live, Kuaishou on a 9:16 phone): the status bar takes the top ~5 % and the
# room's top row (host capsule on the left, viewers and close button on the right) reaches ~12 %; comments, the
# shopping bag and the input bar cover the bottom quarter. Landscape players are full-screen with thin controls.
PORTRAIT_SAFE_AREA = SafeArea(top=0.13, left=0.04, bottom=0.28, right=0.04)
LANDSCAPE_SAFE_AREA = SafeArea(top=0.04, left=0.03, bottom=0.10, right=0.03)


def default_safe_area(width: int, height: int) -> SafeArea:
    return PORTRAIT_SAFE_AREA if height > width else LANDSCAPE_SAFE_AREA


# GB 45438-2025 §5.x b): an AI element and a generation element.
_AI_ELEMENT = re.compile(r"(人工智能|AI)")
_GENERATION_ELEMENT = re.compile(r"(生成|合成)")

# Known locations of Debian's fonts-noto-cjk, tried when fc-match is absent.
_KNOWN_FONT_PATHS = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
)


class LabelError(ValueError):
    """The label cannot be drawn as the rules require (bad spec, missing font, missing glyph)."""


def _srgb_channel_to_linear(c: float) -> float:
    c = c / 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG 2.x relative luminance of an sRGB colour."""
    r, g, b = (_srgb_channel_to_linear(float(c)) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG 2.x contrast ratio, 1.0 to 21.0."""
    la, lb = relative_luminance(a), relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


@dataclass(frozen=True)
class LabelSpec:
    """What the visible label says and where it sits. Sizes are fractions of the frame's shortest side.

    Every field is validated: a spec that would break the rules raises `LabelError` instead of being silently fixed,
    so a misconfiguration is noticed at stream set-up, not by a regulator.
    """

    text: str = "AI生成"
    english: str | None = "AI-generated"
    corner: Corner = "top-left"  # of the safe area
    safe_area: SafeArea | None = None  # None: `default_safe_area` for the frame's orientation
    height_fraction: float = MIN_HEIGHT_FRACTION
    text_rgb: tuple[int, int, int] = (255, 255, 255)
    plate_rgb: tuple[int, int, int] = (20, 20, 20)
    opening_text: str = "本直播由人工智能生成"
    opening_english: str | None = "This livestream is AI-generated"
    opening_seconds: float = 3.0
    # Extra height above the minimum so encoder blur and rounding never take the glyphs under 5 %.
    safety_fraction: float = field(default=0.003)

    def __post_init__(self) -> None:
        for name in ("text", "opening_text"):
            value = getattr(self, name)
            if not (_AI_ELEMENT.search(value) and _GENERATION_ELEMENT.search(value)):
                raise LabelError(
                    f"{name} {value!r} must contain an AI element (人工智能/AI) and a generation element (生成/合成)"
                )
        if self.english is not None and "AI" not in self.english:
            raise LabelError(f"english {self.english!r} must say 'AI'")
        if self.corner not in CORNERS:
            raise LabelError(f"corner {self.corner!r} must be one of {', '.join(CORNERS)}")
        if self.safe_area is not None and not isinstance(self.safe_area, SafeArea):
            raise LabelError(f"safe_area {self.safe_area!r} must be a SafeArea")
        if not self.height_fraction >= MIN_HEIGHT_FRACTION:  # also catches NaN
            raise LabelError(
                f"height_fraction {self.height_fraction} is below the GB 45438 minimum of {MIN_HEIGHT_FRACTION}"
            )
        if self.height_fraction > 0.2:
            raise LabelError(f"height_fraction {self.height_fraction} would cover the picture (max 0.2)")
        if not self.opening_seconds >= MIN_OPENING_SECONDS:
            raise LabelError(f"opening_seconds {self.opening_seconds} is below the minimum of {MIN_OPENING_SECONDS} s")
        if not 0 <= self.safety_fraction <= 0.05:
            raise LabelError(f"safety_fraction {self.safety_fraction} must be between 0 and 0.05")
        for name in ("text_rgb", "plate_rgb"):
            rgb = getattr(self, name)
            if len(rgb) != 3 or not all(isinstance(c, int) and 0 <= c <= 255 for c in rgb):
                raise LabelError(f"{name} {rgb!r} must be three integers 0..255")
        ratio = contrast_ratio(self.text_rgb, self.plate_rgb)
        if ratio < MIN_CONTRAST_RATIO:
            raise LabelError(f"text/plate contrast {ratio:.2f}:1 is below the minimum of {MIN_CONTRAST_RATIO}:1")

    @property
    def contrast(self) -> float:
        return contrast_ratio(self.text_rgb, self.plate_rgb)


@functools.cache
def find_cjk_font() -> tuple[str, int]:
    """Path and face index of a Noto Sans CJK SC face (Debian package fonts-noto-cjk).

    Raises LabelError naming the package when none is installed: a label without its font must stop the stream,
    never fall back to a font that draws tofu boxes.
    """
    fc_match = shutil.which("fc-match")
    if fc_match:
        for pattern in ("Noto Sans CJK SC:style=Bold", "Noto Sans CJK SC"):
            try:
                out = subprocess.run(  # noqa: S603 - fixed argv, no shell
                    [fc_match, "-f", "%{file}|%{index}|%{family}", pattern],
                    capture_output=True,
                    text=True,
                    timeout=10,
                    check=False,
                ).stdout
            except (OSError, subprocess.SubprocessError):
                break
            found, _, rest = out.partition("|")
            face, _, family = rest.partition("|")
            # fc-match always answers with *some* font; accept it only if it really is Noto CJK.
            if found and "CJK" in family and Path(found).is_file():
                return found, int(face or 0)
    for path, index in _KNOWN_FONT_PATHS:
        if Path(path).is_file():
            return path, index
    raise LabelError(
        "No Noto Sans CJK font found: install Debian's fonts-noto-cjk "
        "(apt-get install fonts-noto-cjk) so the AI label can be drawn"
    )


@functools.cache
def load_font(size_px: int) -> ImageFont.FreeTypeFont:
    path, index = find_cjk_font()
    return ImageFont.truetype(path, size=size_px, index=index)


def _notdef_mask(font: ImageFont.FreeTypeFont) -> bytes:
    # U+10FFFF is a noncharacter, so every font maps it to glyph 0, the .notdef ("tofu") glyph.
    mask = font.getmask("\U0010ffff")
    return bytes(mask.size) + bytes(mask)


def check_glyphs(text: str, font: ImageFont.FreeTypeFont) -> None:
    """Raise LabelError if any visible character of `text` has no glyph in `font`.

    Method (Pillow only, no fontTools): a character whose rendered mask equals the .notdef glyph's mask, or a visible
    character that renders no ink at all, is missing from the font's cmap.
    """
    notdef = _notdef_mask(font)
    missing = []
    for ch in sorted(set(text)):
        if ch.isspace():
            continue
        mask = font.getmask(ch)
        rendered = bytes(mask)
        if bytes(mask.size) + rendered == notdef or not any(rendered):
            missing.append(ch)
    if missing:
        raise LabelError(f"font {find_cjk_font()[0]} has no glyph for {''.join(missing)!r}")


def _cap_height(font: ImageFont.FreeTypeFont) -> int:
    # Height of the ink of "AI": the shortest full-height glyphs on any of our lines (CJK ideographs are taller).
    _left, top, _right, bottom = font.getbbox("AI")
    return int(bottom - top)


def _font_for_height(target_px: int) -> ImageFont.FreeTypeFont:
    size = max(8, int(target_px / 0.72))
    font = load_font(size)
    while _cap_height(font) < target_px:
        size += 1
        font = load_font(size)
    return font


@dataclass(frozen=True)
class Plate:
    """A rasterised overlay in premultiplied YUV 4:2:0, ready to blend at (x, y) (both even)."""

    x: int
    y: int
    width: int
    height: int
    y_premul: np.ndarray  # (h, w) uint16: luma * alpha
    uv_premul: np.ndarray  # (2, h/2, w/2) uint16
    alpha_y: np.ndarray  # (h, w) uint16 0..255
    alpha_uv: np.ndarray  # (h/2, w/2) uint16
    text_height_px: int  # measured cap height of "AI" in the rasterised plate
    font_size_px: int


def _rgba_to_premultiplied_yuv420(rgba: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rgb = np.ascontiguousarray(rgba[:, :, :3])
    h, w = rgb.shape[:2]
    yuv = rgb_to_yuv420(rgb)
    y_plane = yuv[:h].astype(np.uint16)
    u, v = (p.astype(np.uint16) for p in chroma_planes(yuv))
    alpha = rgba[:, :, 3].astype(np.uint16)
    alpha_uv = alpha.reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3)).round().astype(np.uint16)
    return (y_plane * alpha, np.stack([u * alpha_uv, v * alpha_uv]), alpha, alpha_uv)


def to_rgb(yuv: np.ndarray) -> np.ndarray:
    """Planar YUV 4:2:0 (h*3/2, w), BT.709 limited range -> RGB24 (h, w, 3)."""
    import av

    frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(yuv), format="yuv420p")
    return frame.reformat(format="rgb24", src_colorspace="ITU709", dst_colorspace="ITU709").to_ndarray()


def _even(v: float) -> int:
    return int(v) // 2 * 2


def _wrap(lines: list[str], font: ImageFont.FreeTypeFont, *, max_width: int) -> list[str]:
    """Break lines too wide for the frame (portrait video): at spaces, else between characters. Never shrinks."""
    out: list[str] = []
    for line in lines:
        words = line.split(" ") if " " in line else list(line)
        joiner = " " if " " in line else ""
        current = ""
        for word in words:
            candidate = f"{current}{joiner}{word}" if current else word
            if current and font.getlength(candidate) > max_width:
                out.append(current)
                current = word
            else:
                current = candidate
        out.append(current)
    return out


def render_plate(
    lines: list[str], spec: LabelSpec, width: int, height: int, *, placement: Corner | Literal["bottom-centre"]
) -> Plate:
    short = min(width, height)
    target = int(np.ceil((spec.height_fraction + spec.safety_fraction) * short))
    font = _font_for_height(target)
    for line in lines:
        check_glyphs(line, font)
    pad = _even(max(4, 0.35 * target)) + 2
    gap = int(0.45 * target)
    sx0, sy0, sx1, sy1 = (spec.safe_area or default_safe_area(width, height)).box(width, height)
    lines = _wrap(lines, font, max_width=sx1 - sx0 - 2 * pad - 2)
    boxes = [font.getbbox(line) for line in lines]
    line_h = [int(b[3] - b[1]) for b in boxes]
    text_w = max(int(b[2] - b[0]) for b in boxes)
    plate_w = _even(text_w + 2 * pad + 1) + 2
    plate_h = _even(sum(line_h) + gap * (len(lines) - 1) + 2 * pad + 1) + 2
    if plate_w > sx1 - sx0 or plate_h > min(sy1 - sy0, height // 2):
        raise LabelError(
            f"label {lines!r} does not fit the safe area {sx1 - sx0}x{sy1 - sy0} of a {width}x{height} frame "
            "at the required size"
        )

    image = Image.new("RGBA", (plate_w, plate_h), (*spec.plate_rgb, 255))
    draw = ImageDraw.Draw(image)
    y = pad
    for line, box, lh in zip(lines, boxes, line_h, strict=True):
        x = (plate_w - (box[2] - box[0])) // 2 - box[0]
        draw.text((x, y - box[1]), line, font=font, fill=(*spec.text_rgb, 255))
        y += lh + gap
    rgba = np.asarray(image)

    if placement == "bottom-centre":
        px, py = _even((sx0 + sx1 - plate_w) / 2), _even(sy1 - plate_h)
    else:
        px = sx0 if placement.endswith("left") else _even(sx1 - plate_w)
        py = sy0 if placement.startswith("top") else _even(sy1 - plate_h)
    y_pm, uv_pm, a_y, a_uv = _rgba_to_premultiplied_yuv420(rgba)
    return Plate(px, py, plate_w, plate_h, y_pm, uv_pm, a_y, a_uv, _cap_height(font), int(font.size))


def blend_plate(yuv: np.ndarray, plate: Plate) -> None:
    """Alpha-blend `plate` into one planar YUV 4:2:0 frame (h*3/2, w) uint8, in place, on its rectangle only."""
    yuv.shape[0] * 2 // 3
    yuv.shape[1]
    x, y, pw, ph = plate.x, plate.y, plate.width, plate.height
    region = yuv[y : y + ph, x : x + pw]
    inv = 255 - plate.alpha_y
    region[:] = ((plate.y_premul + inv * region + 127) // 255).astype(np.uint8)
    u, v = chroma_planes(yuv)
    cx, cy, cw, ch = x // 2, y // 2, pw // 2, ph // 2
    inv_uv = 255 - plate.alpha_uv
    for i, plane in enumerate((u, v)):
        r = plane[cy : cy + ch, cx : cx + cw]
        r[:] = ((plate.uv_premul[i] + inv_uv * r + 127) // 255).astype(np.uint8)


class LabelCompositor:
    """Burns the corner label into every frame and the opening notice into the first `opening_seconds`."""

    def __init__(self, spec: LabelSpec | None = None) -> None:
        self.spec = spec or LabelSpec()
        self._plates: dict[tuple[int, int], tuple[Plate, Plate]] = {}

    def plates(self, width: int, height: int) -> tuple[Plate, Plate]:
        key = (width, height)
        if key not in self._plates:
            if width % 2 or height % 2:
                raise LabelError(f"frame size {width}x{height} must be even for YUV 4:2:0")
            spec = self.spec
            corner_lines = [spec.text] + ([spec.english] if spec.english else [])
            opening_lines = [spec.opening_text] + ([spec.opening_english] if spec.opening_english else [])
            corner = render_plate(corner_lines, spec, width, height, placement=spec.corner)
            opening = render_plate(opening_lines, spec, width, height, placement="bottom-centre")
            for plate in (corner, opening):
                # Re-check on the rasterised result, not just the arithmetic that chose the font size.
                if plate.text_height_px < MIN_HEIGHT_FRACTION * min(width, height):
                    raise LabelError(f"rasterised label is {plate.text_height_px}px, below 5% of {width}x{height}")
            self._plates[key] = (corner, opening)
        return self._plates[key]

    def apply(self, yuv: np.ndarray, *, t_seconds: float) -> None:
        """Label one planar YUV 4:2:0 frame in place; `t_seconds` is the frame's time since stream start."""
        h = yuv.shape[0] * 2 // 3
        corner, opening = self.plates(yuv.shape[1], h)
        blend_plate(yuv, corner)
        if t_seconds < self.spec.opening_seconds:
            blend_plate(yuv, opening)

    def parameters(self, width: int, height: int) -> dict[str, Any]:
        """What the ledger records about the label drawn at this resolution."""
        corner, opening = self.plates(width, height)
        short = min(width, height)
        return {
            "text": self.spec.text,
            "english": self.spec.english,
            "corner": self.spec.corner,
            "safe_area": vars(self.spec.safe_area or default_safe_area(width, height)),
            "frame": [width, height],
            "text_height_px": corner.text_height_px,
            "text_height_fraction": round(corner.text_height_px / short, 4),
            "box": [corner.x, corner.y, corner.width, corner.height],
            "font": Path(find_cjk_font()[0]).name,
            "font_size_px": corner.font_size_px,
            "contrast_ratio": round(self.spec.contrast, 2),
            "opening_text": self.spec.opening_text,
            "opening_english": self.spec.opening_english,
            "opening_seconds": self.spec.opening_seconds,
            "opening_box": [opening.x, opening.y, opening.width, opening.height],
        }
