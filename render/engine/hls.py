"""HLS playlists of a rendered stream: the media playlist with each segment's wall-clock start
(EXT-X-PROGRAM-DATE-TIME, so auditors map segments to time) and the multivariant playlist that names it with
BANDWIDTH, CODECS and RESOLUTION, the codecs read from the init segment the encoder wrote (RFC 8216 §4.3.4.2)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from render.engine.fmp4 import BoxError, find_box
from render.engine.segment import format_program_date_time


class PlaylistError(ValueError):
    """An init segment or segment list a playlist cannot be written from."""


@dataclass(frozen=True)
class PlaylistSegment:
    uri: str
    duration: float  # seconds
    size: int  # bytes
    wall_clock_start: datetime | None = None


def media_playlist(
    segments: Sequence[PlaylistSegment], *, init_uri: str = "init.mp4", target_duration: int = 2, ended: bool = False
) -> str:
    """HLS media playlist (version 7, fMP4) from sequence 0; a segment with a wall-clock start gets its
    EXT-X-PROGRAM-DATE-TIME."""
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:7",
        f"#EXT-X-TARGETDURATION:{max([target_duration, *(math.ceil(s.duration) for s in segments)])}",
        "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-INDEPENDENT-SEGMENTS",
        f'#EXT-X-MAP:URI="{init_uri}"',
    ]
    for segment in segments:
        if segment.wall_clock_start is not None:
            lines.append(f"#EXT-X-PROGRAM-DATE-TIME:{format_program_date_time(segment.wall_clock_start)}")
        lines += [f"#EXTINF:{segment.duration:.3f},", segment.uri]
    if ended:
        lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def codecs_of(init_segment: bytes) -> str:
    """RFC 6381 codecs of an init segment: 'avc1.PPCCLL' from its avcC (profile, constraints, level) and
    'mp4a.40.N' from its AAC AudioSpecificConfig (N = audio object type, 2 for AAC-LC)."""
    try:
        moov = find_box(init_segment, "moov")
    except BoxError as exc:
        raise PlaylistError(f"the init segment is not an MP4: {exc}") from None
    if moov is None:
        raise PlaylistError("the init segment has no moov box")
    body = init_segment[moov.offset : moov.offset + moov.size]
    codecs = []
    at = body.find(b"avcC")
    if at < 0 or len(body) < at + 8:
        raise PlaylistError("the init segment has no H.264 configuration (avcC)")
    profile, constraints, level = body[at + 5], body[at + 6], body[at + 7]
    codecs.append(f"avc1.{profile:02x}{constraints:02x}{level:02x}")
    esds = body.find(b"esds")
    if esds >= 0:
        dsi = body.find(b"\x05", esds + 8)  # DecoderSpecificInfo: tag 5, length, AudioSpecificConfig
        if dsi < 0 or len(body) < dsi + 3:
            raise PlaylistError("the init segment's AAC configuration (esds) is truncated")
        object_type = body[dsi + 2] >> 3
        codecs.append(f"mp4a.40.{object_type}")
    return ",".join(codecs)


def peak_bandwidth(segments: Sequence[PlaylistSegment]) -> int:
    """BANDWIDTH: the largest segment bit rate in bits per second (RFC 8216 §4.3.4.2: the peak segment bit rate)."""
    rates = [s.size * 8 / s.duration for s in segments if s.duration > 0]
    if not rates:
        raise PlaylistError("a multivariant playlist needs at least one published segment")
    return math.ceil(max(rates))


def multivariant_playlist(
    *, media_uri: str, bandwidth: int, codecs: str, resolution: tuple[int, int], frame_rate: float
) -> str:
    """A multivariant playlist naming one media playlist (the platform renders one variant per stream)."""
    width, height = resolution
    attributes = f'BANDWIDTH={bandwidth},CODECS="{codecs}",RESOLUTION={width}x{height},FRAME-RATE={frame_rate:.3f}'
    return (
        "\n".join(
            ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS", f"#EXT-X-STREAM-INF:{attributes}", media_uri]
        )
        + "\n"
    )
