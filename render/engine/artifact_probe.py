"""Re-examine a stored segment's pixels and metadata as an auditor would, without trusting what the ledger says.

Pure (no Django): the compliance artifact check (compliance/artifacts.py) hands it the bytes it read from storage.

- `decode_frames(init, segment, offsets)`: the RGB frames nearest the given times (seconds from the segment's start),
  decoded with PyAV from init + segment as one fragmented MP4 (what a recorder of the stream keeps).
- `measure_label(frame, box, ...)`: is the corner label's plate there, and how tall is its first line of text, in
  pixels measured on the decoded frame. The ledgered box only says where to look (with a margin); the plate is found
  by its colours (a dark plate with light text, LabelSpec's defaults), so a ledger that claims a label the pixels do
  not show fails.
- `ocr(frame)`: tesseract (chi_sim+eng) on the label's crop, for the text elements (人工智能/AI and 生成/合成).
- `read_aigc(init)`: the GB 45438 AIGC value read back with ffprobe (a tool the project did not write) from the init
  segment's metadata, checked with `metadata.check_aigc_json`.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from render.engine.metadata import MetadataError, check_aigc_json

# A plate pixel is dark, a glyph pixel light (LabelSpec: text (255,255,255) on plate (20,20,20)); the thresholds sit
# well inside the two so encoder blur on the glyph edges does not move the measured height by more than a pixel.
PLATE_MAX_LUMA = 70
TEXT_MIN_LUMA = 170
MIN_PLATE_SHARE = 0.45  # of the searched box: a plate covers most of its own box
MIN_TEXT_SHARE = 0.02
_AI = re.compile(r"人工智能|AI|Al")
_GENERATED = re.compile(r"生成|合成")


class ProbeError(ValueError):
    """The artifact cannot be read (not video, no frames, no metadata): a fail, with this sentence."""


@dataclass(frozen=True)
class LabelMeasure:
    present: bool
    text_height_px: int  # height of the first line of glyphs (its ink), 0 when absent
    plate_box: tuple[int, int, int, int] | None  # x, y, w, h of the plate found
    detail: str


def decode_frames(init: bytes, segment: bytes, offsets: Sequence[float]) -> list[tuple[float, NDArray[np.uint8]]]:
    """(time, RGB frame) of the first frame at or after each offset (seconds from the segment's first frame)."""
    import av

    wanted = sorted(offsets)
    out: list[tuple[float, NDArray[np.uint8]]] = []
    try:
        with av.open(io.BytesIO(init + segment), mode="r", format="mp4") as container:
            if not container.streams.video:
                raise ProbeError("The segment has no video track.")
            stream = container.streams.video[0]
            first: float | None = None
            for frame in container.decode(stream):
                t = float(frame.time) if frame.time is not None else 0.0
                first = t if first is None else first
                while wanted and t - first + 1e-6 >= wanted[0]:
                    out.append((t - first, np.asarray(frame.to_ndarray(format="rgb24"), dtype=np.uint8)))
                    wanted.pop(0)
                if not wanted:
                    break
    except (OSError, av.error.FFmpegError) as exc:
        raise ProbeError(f"The segment cannot be decoded: {exc}") from exc
    if not out:
        raise ProbeError("The segment has no frame at the sampled times.")
    return out


def _luma(rgb: NDArray[np.uint8]) -> NDArray[np.float32]:
    r, g, b = (rgb[..., i].astype(np.float32) for i in range(3))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _bands(rows: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """Contiguous runs of True as (start, end) half-open."""
    bands: list[tuple[int, int]] = []
    start = None
    for i, on in enumerate(rows.tolist()):
        if on and start is None:
            start = i
        elif not on and start is not None:
            bands.append((start, i))
            start = None
    if start is not None:
        bands.append((start, len(rows)))
    return bands


def measure_label(frame: NDArray[np.uint8], box: Sequence[int], *, margin: float = 0.1) -> LabelMeasure:
    """Find the plate near `box` (x, y, w, h; margin: a fraction of the shortest side) and measure its text."""
    h, w = frame.shape[:2]
    pad = int(margin * min(w, h))
    x, y, bw, bh = (int(v) for v in box)
    x0, y0, x1, y1 = max(0, x - pad), max(0, y - pad), min(w, x + bw + pad), min(h, y + bh + pad)
    if x1 <= x0 or y1 <= y0:
        return LabelMeasure(False, 0, None, "the recorded label box lies outside the frame")
    luma = _luma(frame[y0:y1, x0:x1])
    dark = luma <= PLATE_MAX_LUMA
    # The plate: the largest block of rows and columns that are mostly dark-or-text (a plate pixel or a glyph).
    plate_like = dark | (luma >= TEXT_MIN_LUMA)
    rows = _bands(dark.mean(axis=1) >= 0.3)
    cols = _bands(dark.mean(axis=0) >= 0.3)
    if not rows or not cols:
        return LabelMeasure(False, 0, None, "no label plate in the frame where the label should be")
    ry = max(rows, key=lambda b: b[1] - b[0])
    cx = max(cols, key=lambda b: b[1] - b[0])
    region = plate_like[ry[0] : ry[1], cx[0] : cx[1]]
    text = luma[ry[0] : ry[1], cx[0] : cx[1]] >= TEXT_MIN_LUMA
    plate_box = (x0 + cx[0], y0 + ry[0], cx[1] - cx[0], ry[1] - ry[0])
    if region.size == 0 or float(dark[ry[0] : ry[1], cx[0] : cx[1]].mean()) < MIN_PLATE_SHARE:
        return LabelMeasure(False, 0, plate_box, "no label plate in the frame where the label should be")
    if float(text.mean()) < MIN_TEXT_SHARE:
        return LabelMeasure(False, 0, plate_box, "a plate without legible text")
    lines = [b for b in _bands(np.asarray(text.any(axis=1))) if b[1] - b[0] >= 2]
    if not lines:
        return LabelMeasure(False, 0, plate_box, "a plate without legible text")
    first = lines[0]
    return LabelMeasure(
        True, first[1] - first[0], plate_box, f"plate at {plate_box}, first line {first[1] - first[0]} px"
    )


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ProbeError(f"{name} is not installed, so the artifact cannot be examined.")
    return path


def ocr(frame: NDArray[np.uint8], box: tuple[int, int, int, int]) -> str:
    """tesseract (chi_sim+eng) on the plate's crop, enlarged 2x (small glyphs read better)."""
    import cv2

    x, y, w, h = box
    crop = frame[y : y + h, x : x + w]
    large = np.asarray(cv2.resize(crop, (w * 2, h * 2), interpolation=cv2.INTER_CUBIC), dtype=np.uint8)
    ok, png = cv2.imencode(".png", large[:, :, ::-1])
    if not ok:
        raise ProbeError("The label crop cannot be encoded for OCR.")
    try:
        done = subprocess.run(  # noqa: S603 - fixed argv, no shell
            [_tool("tesseract"), "stdin", "stdout", "-l", "chi_sim+eng", "--psm", "6"],
            input=png.tobytes(),
            capture_output=True,
            check=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise ProbeError(f"OCR is not available: {exc}") from exc
    return done.stdout.decode("utf-8", "replace").strip()


def ocr_has_elements(text: str) -> bool:
    compact = re.sub(r"\s+", "", text)
    return bool(_AI.search(compact) and _GENERATED.search(compact))


def read_aigc(init: bytes) -> dict[str, str]:
    """The AIGC value of the init segment as ffprobe reads it (format tags), strictly checked; ProbeError if absent."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "init.mp4"
        path.write_bytes(init)
        try:
            done = subprocess.run(  # noqa: S603 - fixed argv, no shell
                [_tool("ffprobe"), "-v", "error", "-show_entries", "format_tags", "-of", "json", str(path)],
                capture_output=True,
                check=True,
                text=True,
                timeout=60,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise ProbeError(f"ffprobe cannot read the init segment: {exc}") from exc
    tags = (json.loads(done.stdout or "{}").get("format") or {}).get("tags") or {}
    values = [v for k, v in tags.items() if k.upper() == "AIGC"]
    if len(values) != 1:
        raise ProbeError(f"The init segment carries {len(values)} AIGC metadata labels; exactly one is required.")
    try:
        label = check_aigc_json(values[0])
    except MetadataError as exc:
        raise ProbeError(f"The AIGC metadata does not meet GB 45438 Annex E: {exc}") from exc
    return {k: str(v) for k, v in vars(label).items()}
