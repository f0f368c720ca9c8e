"""The ingest goes away mid-push (nginx stopped, then started again on the same port 1.2 s later): the pusher notices
the dead connection, retries with growing waits while it is refused, reconnects, reports the outage (recovered, with
its attempts and waits) and sends the cut segment again from its keyframe. A viewer that reconnects too sees the
stream continue with timestamps above every one it saw before the cut, and its metadata still carries AIGC."""

from __future__ import annotations

import itertools
import threading

import pytest

from streaming.live import Outage, ReconnectPolicy, RtmpPusher
from tests.streaming.live.nginx_rtmp import NginxRtmp
from tests.streaming.live.subscriber import Subscriber
from tests.streaming.live.synthetic import synthetic_stream

pytestmark = pytest.mark.slow


def test_the_push_survives_an_ingest_restart(nginx_rtmp: NginxRtmp) -> None:
    stream = synthetic_stream()
    url = nginx_rtmp.url("sk_reconnect_0001")
    outages: list[Outage] = []
    policy = ReconnectPolicy(initial_delay_s=0.2, multiplier=2, max_delay_s=1.0, jitter=0.25, max_attempts=12)
    restart = threading.Timer(1.2, nginx_rtmp.start)
    with Subscriber(url) as viewer:
        pusher = RtmpPusher(url, init_segment=stream.init, policy=policy, on_outage=outages.append)
        reports = [pusher.push(stream.segments[0]), pusher.push(stream.segments[1])]
        nginx_rtmp.stop()
        restart.start()
        try:
            reports += [pusher.push(stream.segments[2]), pusher.push(stream.segments[3])]
        finally:
            restart.join()
        pusher.close()
        viewer.wait_for(video_frames=viewer.seen.video_frames + 1, timeout=3)
    seen = viewer.seen

    [outage] = outages
    assert outage.recovered
    assert outage.reason.startswith("dropped")
    assert outage.attempts >= 2, outage  # refused while nginx was down
    assert outage.delays == sorted(outage.delays)
    assert outage.delays[0] <= 0.2
    assert 1.0 <= outage.duration_s <= 4.0
    assert reports[2].resent == 1
    assert pusher.connections == 2
    assert [r.start_s for r in reports] == sorted({r.start_s for r in reports})  # one running timeline

    sessions = sorted({s for s, _k, _t in seen.packets})
    assert len(sessions) >= 2, seen.errors
    before = [t for s, k, t in seen.packets if s == sessions[0] and k == "video"]
    after = [t for s, k, t in seen.packets if s == sessions[-1] and k == "video"]
    assert before
    assert after
    assert after[0] > before[-1]
    video = seen.times("video")
    assert all(b > a for a, b in itertools.pairwise(video))
    assert all(m.get("AIGC") == stream.aigc for m in seen.metadata)
