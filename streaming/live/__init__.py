"""The live output side (docs/live-output.md): pushing the render engine's published fMP4 segments to an RTMP ingest.

A pure library: no Django here (tests/streaming/live/test_the_live_output_imports_no_django.py). The live runner
task (a later session) owns the stream, renders the segments and ledgers the outages this library reports.
"""

from __future__ import annotations

from streaming.live.rtmp import (
    Outage,
    PushReport,
    ReconnectPolicy,
    RtmpError,
    RtmpGaveUpError,
    RtmpPusher,
    RtmpUrlError,
    mask_rtmp_url,
    validate_rtmp_url,
)

__all__ = [
    "Outage",
    "PushReport",
    "ReconnectPolicy",
    "RtmpError",
    "RtmpGaveUpError",
    "RtmpPusher",
    "RtmpUrlError",
    "mask_rtmp_url",
    "validate_rtmp_url",
]
