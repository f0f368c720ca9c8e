"""The pusher walks the segments' moof boxes itself (FFmpeg's MP4 demuxer probes by decoding a frame per segment):
for every segment of a stream it finds the very packets FFmpeg's demuxer finds, bytes, timestamps, durations and
keyframe flags, so the remux forwards the published samples unchanged. A segment that is not fMP4, or one that does
not open with a keyframe, is refused with a reason."""

from __future__ import annotations

import io

import av
import pytest

from render.engine.fmp4 import box
from streaming.live import RtmpError, RtmpPusher
from tests.streaming.live.synthetic import synthetic_stream


def test_every_packet_matches_ffmpegs() -> None:
    stream = synthetic_stream()
    pusher = RtmpPusher("rtmp://127.0.0.1:1/live/sk_demux", init_segment=stream.init)
    for segment in stream.segments:
        mine = pusher._demux(segment)
        with av.open(io.BytesIO(stream.init + segment), format="mp4") as source:
            theirs = sorted(
                (p for p in source.demux() if p.size),
                key=lambda p: (p.dts * p.time_base, p.stream.type != "video"),
            )
            assert len(mine) == len(theirs) == 60 + len([p for p in theirs if p.stream.type == "audio"])
            for a, b in zip(mine, theirs, strict=True):
                assert bytes(a.packet) == bytes(b)
                assert (a.packet.dts, a.packet.pts, a.packet.duration) == (b.dts, b.pts, b.duration)
                assert a.packet.is_keyframe == b.is_keyframe
                assert a.video == (b.stream.type == "video")
    pusher.close()


def test_a_segment_that_is_not_this_streams_fmp4_is_refused() -> None:
    stream = synthetic_stream()
    pusher = RtmpPusher("rtmp://127.0.0.1:1/live/sk_demux", init_segment=stream.init)
    with pytest.raises(RtmpError, match="cannot be read"):
        pusher._demux(stream.segments[0][:-5000] + box(b"moof", b"\x00\x00"))
    with pytest.raises(RtmpError, match="keyframe"):
        pusher._demux(box(b"styp", b"msdh"))
    pusher.close()


def test_an_init_segment_without_an_aigc_label_is_never_pushed() -> None:
    from render.engine.encode import EncoderSettings, IndependentSegmentEncoder

    unlabelled = IndependentSegmentEncoder(EncoderSettings(width=320, height=180, fps=30)).init_segment
    with pytest.raises(RtmpError, match="no valid AIGC label"):
        RtmpPusher("rtmp://127.0.0.1:1/live/sk_demux", init_segment=unlabelled)
