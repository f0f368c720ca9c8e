"""What rendering one segment produces: the signed bytes and the typed record the ledger stores for them.

`SegmentRecord` is the one shape of a segment's facts from the engine to the ledger: the publisher copies its fields
into the Segment row and the `segment.published` payload (`ledger_payload()`), without probing for alternative keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# The spoken AI disclosure that opens every stream is a script line like any other: it has this id in the plan's
# line spans and in every segment record that carries it. Callers may not use it for their own lines.
DISCLOSURE_LINE_ID = "ai-disclosure"


@dataclass(frozen=True)
class SegmentRecord:
    stream_id: str
    sequence: int
    uri: str  # the segment's name in the HLS playlist (seg_000000.m4s)
    sha256: str  # of the signed segment, as published
    size: int  # bytes
    duration: float  # seconds, as the playlist states it
    start_s: float  # stream time of the first frame
    wall_clock_start: datetime  # UTC wall-clock time of the first frame (EXT-X-PROGRAM-DATE-TIME)
    video_frames: int
    audio_samples: int
    manifest_id: str  # this segment's C2PA manifest
    previous_manifest_id: str | None  # the previous segment's (None for segment 0)
    watermark_id: str  # the content id the luma watermark carries, 16 hex digits
    label: dict[str, Any]  # the visible label's parameters on this segment's frames (box, sizes, opening notice)
    consent_grant_id: str  # public id of the consent grant the segment is rendered under
    script_line_ids: tuple[str, ...]  # every line heard in it, DISCLOSURE_LINE_ID included, in script order
    disclosure: bool  # the spoken AI disclosure is heard in it
    aigc: str  # the GB 45438 Annex E JSON of the stream
    plan_fingerprint: str
    engine: str
    settings: str  # e.g. "720p30"

    def ledger_payload(self) -> dict[str, Any]:
        """The segment's facts as the `segment.published` event records them (JSON-ready)."""
        return {
            "sequence": self.sequence,
            "uri": self.uri,
            "sha256": self.sha256,
            "bytes": self.size,
            "duration": self.duration,
            "wall_clock_start": format_program_date_time(self.wall_clock_start),
            "manifest_id": self.manifest_id,
            "previous_manifest_id": self.previous_manifest_id,
            "watermark_id": self.watermark_id,
            "label_parameters": self.label,
            "consent_grant_id": self.consent_grant_id,
            "script_line_ids": list(self.script_line_ids),
        }


@dataclass
class SegmentResult:
    data: bytes  # signed segment, as published
    uri: str
    record: SegmentRecord
    timings_ms: dict[str, float] = field(default_factory=dict)


def format_program_date_time(at: datetime) -> str:
    """RFC 3339 UTC with milliseconds, as EXT-X-PROGRAM-DATE-TIME and the ledger write it."""
    if at.tzinfo is None:
        raise ValueError("wall-clock times must be timezone-aware")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.astimezone(UTC).microsecond // 1000:03d}Z"
