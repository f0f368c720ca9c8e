"""A live stream's two HLS media playlists, built from its published Segment rows (what the ledger says aired):

- live: the last `LIVE_PREVIEW_WINDOW_SEGMENTS` segments with EXT-X-MEDIA-SEQUENCE at the first of them, a sliding
  window for the operator's and the brand's preview;
- archive: every segment from 0 (the recording kept 3 years): PLAYLIST-TYPE EVENT while the stream runs, ENDLIST once
  it is over.

Slates are ordinary segments of the same stream (same encoder, same init segment, continuous timestamps), so there is
no discontinuity to declare. Every segment carries its wall-clock start (EXT-X-PROGRAM-DATE-TIME).
"""

from __future__ import annotations

import math

from render.engine.segment import format_program_date_time
from render.models import RenderJob, Segment
from streaming.models import Stream

TARGET_DURATION = 2


def live_job(stream: Stream) -> RenderJob | None:
    return RenderJob.objects.filter(stream_id=str(stream.public_id)).first()


def _playlist(segments: list[Segment], *, first_sequence: int, event: bool, ended: bool) -> str:
    target = max([TARGET_DURATION, *(math.ceil(s.duration) for s in segments)])
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", f"#EXT-X-TARGETDURATION:{target}"]
    if event:
        lines.append("#EXT-X-PLAYLIST-TYPE:EVENT")
    lines += [f"#EXT-X-MEDIA-SEQUENCE:{first_sequence}", "#EXT-X-INDEPENDENT-SEGMENTS", '#EXT-X-MAP:URI="init.mp4"']
    for segment in segments:
        if segment.wall_clock_start is not None:
            lines.append(f"#EXT-X-PROGRAM-DATE-TIME:{format_program_date_time(segment.wall_clock_start)}")
        lines += [f"#EXTINF:{segment.duration:.3f},", segment.uri]
    if ended:
        lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def _over(stream: Stream) -> bool:
    return stream.state in (Stream.State.ENDED, Stream.State.FAILED)


def live_playlist(stream: Stream, *, window: int) -> str | None:
    job = live_job(stream)
    if job is None or not job.init_storage_name:
        return None
    segments = list(job.segments.order_by("-sequence")[:window])[::-1]
    first = segments[0].sequence if segments else 0
    return _playlist(segments, first_sequence=first, event=False, ended=_over(stream))


def archive_playlist(stream: Stream) -> str | None:
    job = live_job(stream)
    if job is None or not job.init_storage_name:
        return None
    segments = list(job.segments.order_by("sequence"))
    return _playlist(segments, first_sequence=0, event=True, ended=_over(stream))
