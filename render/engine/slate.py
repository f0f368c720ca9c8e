"""Slates: the labelled still segments a live stream shows instead of the avatar (operator away or taking over, the
licence allowance used up, the stream ending after a revocation).

A slate segment is a segment of the same stream in every way a player or verifier sees: the same encoder settings
and init segment, the same visible AI label in its corner (the label is on every frame the stream ever shows), the
stream-id watermark, silence, and a C2PA manifest chained to the previous segment. What differs is the picture: a
dark frame with the slate's text in Chinese and English, and no likeness of anyone, so it needs no consent to show
(a stream that ends because its consent was revoked can still say so).

The frame is drawn once per (kind, size) and reused: every frame of a slate segment is the same picture, only the
watermark's content id changes with the sequence. Pure engine code, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw

from render.engine.label import check_glyphs, load_font
from render.engine.segment import SegmentResult
from render.engine.watermark import content_id_for
from render.engine.yuv import rgb_to_yuv420

# What each slate says (zh first: the platforms are Chinese; en below). The runner picks the kind.
SLATE_TEXT: dict[str, tuple[str, str]] = {
    "holding": ("主播稍后回来", "The host will be right back"),
    "takeover": ("运营人员处理中，请稍候", "An operator is handling the stream"),
    "licence": ("今日授权直播时长已用完", "Today's licensed live time is used up"),
    "ended": ("直播已结束", "This livestream has ended"),
}
BACKGROUND_RGB = (24, 26, 32)
TEXT_RGB = (240, 240, 240)


class SlateError(ValueError):
    pass


@dataclass(frozen=True)
class Slate:
    kind: str
    width: int
    height: int
    yuv: NDArray[np.uint8]  # the picture before label and watermark, planar YUV 4:2:0


_cache: dict[tuple[str, int, int], Slate] = {}


def slate_picture(kind: str, width: int, height: int) -> Slate:
    """The slate's still picture (cached): its two lines of text centred on a dark frame."""
    if kind not in SLATE_TEXT:
        raise SlateError(f"no slate {kind!r}: {', '.join(SLATE_TEXT)}")
    key = (kind, width, height)
    if key not in _cache:
        zh, en = SLATE_TEXT[kind]
        image = Image.new("RGB", (width, height), BACKGROUND_RGB)
        draw = ImageDraw.Draw(image)
        short = min(width, height)
        y = height // 2 - short // 10
        for text, size in ((zh, short // 14), (en, short // 22)):
            font = load_font(max(12, size))
            check_glyphs(text, font)
            box = font.getbbox(text)
            x = (width - (box[2] - box[0])) // 2 - box[0]
            draw.text((x, y - box[1]), text, font=font, fill=TEXT_RGB)
            y += int((box[3] - box[1]) * 1.8)
        _cache[key] = Slate(kind, width, height, rgb_to_yuv420(np.asarray(image)))
    return _cache[key]


def render_slate_segment(
    renderer: object,
    *,
    kind: str,
    sequence: int,
    previous_manifest_id: str | None,
    wall_clock_start: datetime | None = None,
) -> SegmentResult:
    """Slate `kind` as segment `sequence` of `renderer`'s stream (a render.engine.stream.StreamRenderer): labelled,
    watermarked, silent, signed and chained like any other segment."""
    from render.engine.stream import StreamRenderer

    if not isinstance(renderer, StreamRenderer):
        raise SlateError("a slate is rendered by the stream's own renderer")
    cfg = renderer.config
    settings = renderer.settings
    picture = slate_picture(kind, cfg.width, cfg.height)
    content_id = content_id_for(renderer.stream_id, sequence)
    frames_per_segment = settings.frames_per_segment
    first = sequence * frames_per_segment

    def frames() -> object:
        for i in range(frames_per_segment):
            yuv = picture.yuv.copy()
            # The corner label only: the opening notice belongs to the stream's start, which a slate never is.
            renderer.label.apply(yuv, t_seconds=max(renderer.label.spec.opening_seconds, (first + i) / cfg.fps))
            renderer.watermarker.embed_frame(yuv[: cfg.height], content_id)
            yield yuv

    start, end = renderer.encoder.audio_span(sequence)
    silence = np.zeros((end - start, settings.channels), np.float32)
    encoded = renderer.encoder.encode_segment(sequence, frames(), silence)  # type: ignore[arg-type]
    return renderer.sign_and_record(
        encoded,
        sequence,
        previous_manifest_id=previous_manifest_id,
        wall_clock_start=wall_clock_start,
        start_s=sequence * float(cfg.segment_seconds),
        label={**renderer.label_parameters, "opening_notice": False, "slate": kind},
        script_line_ids=(),
        disclosure=False,
        plan_fingerprint="",
        engine="slate",
        extra={"slate": kind},
    )
