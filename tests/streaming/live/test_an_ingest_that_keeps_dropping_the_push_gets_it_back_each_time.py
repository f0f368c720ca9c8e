"""An ingest that accepts the push and drops it every 2.5 s (a relay in front of nginx-rtmp cuts every connection):
each drop is one recovered outage reported to the caller, the cut segment is sent again from its keyframe, every
segment is delivered, and a viewer on nginx sees video and audio timestamps that only ever increase."""

from __future__ import annotations

import itertools

import pytest

from streaming.live import Outage, ReconnectPolicy, RtmpPusher
from tests.streaming.live.flaky_proxy import FlakyProxy
from tests.streaming.live.nginx_rtmp import NginxRtmp
from tests.streaming.live.subscriber import Subscriber
from tests.streaming.live.synthetic import synthetic_stream

pytestmark = pytest.mark.slow


def test_every_drop_is_an_outage_and_the_timeline_never_goes_back(nginx_rtmp: NginxRtmp) -> None:
    stream = synthetic_stream()
    proxy = FlakyProxy(nginx_rtmp.port, every=2.5)
    outages: list[Outage] = []
    key = "sk_flaky_0001"
    with Subscriber(nginx_rtmp.url(key)) as viewer:
        pusher = RtmpPusher(
            f"rtmp://127.0.0.1:{proxy.port}/live/{key}",
            init_segment=stream.init,
            policy=ReconnectPolicy(initial_delay_s=0.1, max_attempts=5),
            on_outage=outages.append,
        )
        try:
            reports = [pusher.push(segment) for segment in stream.segments]
        finally:
            proxy.close()
        pusher.close()
        viewer.wait_for(video_frames=viewer.seen.video_frames + 1, timeout=2)
    seen = viewer.seen

    assert proxy.cuts >= 2
    assert len(outages) >= 2, outages
    assert all(o.recovered and o.reason.startswith("dropped") for o in outages)
    assert pusher.connections == len(outages) + 1
    assert sum(r.resent for r in reports) == len(outages)
    assert [r.start_s for r in reports] == sorted(r.start_s for r in reports)
    for kind in ("video", "audio"):
        times = seen.times(kind)
        assert len(times) > 60, seen.errors
        assert all(b > a for a, b in itertools.pairwise(times)), kind
