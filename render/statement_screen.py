"""The statement screen render registers with consent (consent.screens): is this "statement" Veracast's own output?

A clip cut from a published stream carries what every segment carries: the visible AI label, the invisible luma
watermark (it survives re-encoding and cropping to a degree), and, unless stripped, the GB 45438 AIGC metadata and a
C2PA manifest. Any of them refuses the statement. The watermark detector is called through `detect_watermark` only,
so that a new detector changes one function.
"""

from __future__ import annotations

import logging
from typing import Any, BinaryIO

from django.conf import settings

from consent.screens import ScreenFinding

logger = logging.getLogger(__name__)

# Luma planes read for the watermark: it is repeated in every frame, so two seconds at 30 fps are plenty.
WATERMARK_FRAMES = 60
# Byte markers of the AIGC label JSON (render.engine.metadata.AigcLabel.to_json) and of a C2PA manifest store (JUMBF
# description box whose label is "c2pa").
_AIGC_MARKERS = (b'"ContentProducer":', b'"AIGC"')
_C2PA_MARKERS = (b"c2pa.claim", b"c2pa.signature", b"c2pa.assertions")
# The visible label: frames compared, and the correlation with the rasterised plate that counts as the label (the
# plate's glyphs on its flat backing correlate at 0.9+ after H.264; a face or a wall in that corner stays under 0.4).
LABEL_FRAMES = 6
LABEL_CORRELATION = 0.7


def _luma_planes(source: BinaryIO, max_frames: int) -> list[Any]:
    import av
    import numpy as np

    planes = []
    source.seek(0)
    with av.open(source, mode="r") as container:
        if not container.streams.video:
            return []
        for frame in container.decode(container.streams.video[0]):
            if frame.format.name not in ("yuv420p", "yuvj420p", "yuv422p", "yuv444p", "gray"):
                frame = frame.reformat(format="yuv420p")
            plane = frame.planes[0]
            buf = np.frombuffer(memoryview(plane), dtype=np.uint8).reshape(plane.height, plane.line_size)
            planes.append(buf[:, : plane.width].copy())
            if len(planes) >= max_frames:
                break
    return planes


def _watermark_key() -> bytes | None:
    from render.engine.watermark import WatermarkError, load_key

    try:
        return load_key(settings.WATERMARK_KEY_PATH)
    except WatermarkError:
        # No key, no rendering: this deployment has published nothing that could carry its watermark.
        logger.warning(
            "statement screen: no watermark key at %s; the watermark is not checked", settings.WATERMARK_KEY_PATH
        )
        return None


def detect_watermark(source: BinaryIO, key: bytes, *, planes: list[Any] | None = None) -> str | None:
    """The stream id (hex) of Veracast's watermark in the video, or None. The one call into the detector; its
    verified keyed tag keeps the false-positive rate under 1e-6 per clip (render/engine/watermark.py)."""
    from render.engine.watermark import detect_clip

    planes = _luma_planes(source, WATERMARK_FRAMES) if planes is None else planes
    if not planes:
        return None
    found = detect_clip(planes, key)
    return found.stream_id_hex if found.found else None


def visible_label_corner(planes: list[Any]) -> str | None:
    """The corner where the default visible AI label ("AI生成 / AI-generated" plate) shows in most of the frames, or
    None. The plate is rasterised for the frame's size by the engine itself and compared by normalised correlation of
    luma, so a clip cut at the stream's resolution is recognised; a rescaled or cropped clip is left to the
    watermark."""
    import numpy as np

    from render.engine.label import CORNERS, LabelError, LabelSpec, render_plate

    if not planes:
        return None
    height, width = planes[0].shape
    if width % 2 or height % 2:
        return None
    spec = LabelSpec()
    sampled = planes[:: max(1, len(planes) // LABEL_FRAMES)]
    for corner in CORNERS:
        try:
            plate = render_plate(
                [spec.text, *([spec.english] if spec.english else [])], spec, width, height, placement=corner
            )
        except LabelError:
            return None
        template = (plate.y_premul / np.maximum(plate.alpha_y, 1)).astype(np.float64)
        template -= template.mean()
        norm = float(np.linalg.norm(template))
        hits = 0
        for y in sampled:
            region = y[plate.y : plate.y + plate.height, plate.x : plate.x + plate.width].astype(np.float64)
            region -= region.mean()
            denominator = norm * float(np.linalg.norm(region))
            if denominator > 0 and float((region * template).sum()) / denominator >= LABEL_CORRELATION:
                hits += 1
        if hits * 2 > len(sampled):
            return corner
    return None


def screen_generated_content(video: BinaryIO) -> ScreenFinding | None:
    """Refuse a statement that carries Veracast's AIGC metadata, a C2PA manifest, or Veracast's watermark."""
    video.seek(0)
    data = video.read()
    if any(marker in data for marker in _AIGC_MARKERS):
        return ScreenFinding(
            "generated_content",
            "This video carries an AI-generated content label: record your statement yourself, live, with your camera.",
            {"found": "aigc_metadata"},
        )
    if any(marker in data for marker in _C2PA_MARKERS):
        return ScreenFinding(
            "generated_content",
            "This video carries a content credential (C2PA) of generated content: record your statement yourself, "
            "live, with your camera.",
            {"found": "c2pa"},
        )
    planes = _luma_planes(video, WATERMARK_FRAMES)
    corner = visible_label_corner(planes)
    if corner is not None:
        return ScreenFinding(
            "generated_content",
            "This video shows Veracast's visible AI-generated label: it was cut from generated content. Record your "
            "statement yourself, live, with your camera.",
            {"found": "visible_label", "corner": corner},
        )
    key = _watermark_key()
    if key is not None and detect_watermark(video, key, planes=planes) is not None:
        return ScreenFinding(
            "generated_content",
            "This video carries Veracast's watermark: it was cut from generated content. Record your statement "
            "yourself, live, with your camera.",
            {"found": "watermark"},
        )
    return None
