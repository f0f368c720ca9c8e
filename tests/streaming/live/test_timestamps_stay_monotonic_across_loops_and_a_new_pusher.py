"""Output timestamps are the pusher's own running timeline: segments whose sequence numbers go back (a looping
playlist re-sends segment 0) or jump are placed end to end, and a second pusher that takes over the stream (a new
worker) starting at the first one's `timeline_s` continues it. A viewer on the real ingest sees strictly increasing
video and audio timestamps throughout."""

from __future__ import annotations

import itertools

import pytest

from streaming.live import RtmpPusher
from tests.streaming.live.nginx_rtmp import NginxRtmp
from tests.streaming.live.subscriber import Subscriber
from tests.streaming.live.synthetic import synthetic_stream

pytestmark = pytest.mark.slow


def test_a_viewer_sees_one_increasing_timeline(nginx_rtmp: NginxRtmp) -> None:
    stream = synthetic_stream()
    url = nginx_rtmp.url("sk_timeline_0001")
    with Subscriber(url) as viewer:
        first = RtmpPusher(url, init_segment=stream.init, lookahead_s=0.2)
        reports = [first.push(stream.segments[n]) for n in (0, 1, 0, 3)]
        handover = first.timeline_s
        first.close()
        second = RtmpPusher(url, init_segment=stream.init, lookahead_s=0.2, start_at_s=handover)
        reports += [second.push(stream.segments[n]) for n in (2, 3)]
        second.close()
        viewer.wait_until_video_at(12.0 - 1 / 30 - 0.001, timeout=5)
    seen = viewer.seen

    assert [r.start_s for r in reports] == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    assert handover == 8.0
    for kind in ("video", "audio"):
        times = seen.times(kind)
        assert len(times) > 100, seen.errors
        assert all(b > a for a, b in itertools.pairwise(times)), kind
    assert seen.times("video")[-1] == pytest.approx(12.0 - 1 / 30, abs=0.002)
