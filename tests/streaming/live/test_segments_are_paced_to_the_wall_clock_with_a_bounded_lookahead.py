"""A segment handed over early waits for its wall-clock slot: no packet goes out more than `lookahead_s` before its
output time, so pushing N segments takes N segment lengths less the lookahead. A segment handed over late (the
renderer fell behind) is sent at once and paced from there, never in a catch-up burst. Without pacing nothing waits.
(The clock and sleep are fakes; the ingest is a real nginx-rtmp.)"""

from __future__ import annotations

import pytest

from streaming.live import RtmpPusher
from tests.streaming.live.nginx_rtmp import NginxRtmp
from tests.streaming.live.synthetic import synthetic_stream

FRAME = 1 / 30


class FakeClock:
    def __init__(self) -> None:
        self.now = 500.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.sleeps.append(seconds)
        self.now += seconds


def test_early_segments_wait_for_their_slot_and_late_ones_go_at_once(nginx_rtmp: NginxRtmp) -> None:
    stream = synthetic_stream()
    clock = FakeClock()
    pusher = RtmpPusher(
        nginx_rtmp.url("sk_pacing_0001"), init_segment=stream.init, lookahead_s=0.5, clock=clock, sleep=clock.sleep
    )
    for k in range(2):
        report = pusher.push(stream.segments[k])
        assert report.late_s == 0
        # The last video frame of segment k (output time 2k + 2 - 1/30) left at its slot less the lookahead.
        assert 500 + 2 * (k + 1) - FRAME - 0.5 - 0.01 <= clock.now <= 500 + 2 * (k + 1) - 0.5 + 0.01

    clock.now += 10.0  # the renderer fell 10 s behind
    before = clock.now
    report = pusher.push(stream.segments[2])
    assert report.late_s == pytest.approx(10 - 0.5, abs=0.05)  # its slot was 504; the push before ended at ~503.5
    assert report.start_s == 4.0  # the timeline does not jump
    assert clock.now - before == pytest.approx(2 - FRAME - 0.5, abs=0.03)  # paced from "now", not a burst
    pusher.close()


def test_without_pacing_nothing_waits(nginx_rtmp: NginxRtmp) -> None:
    stream = synthetic_stream()
    clock = FakeClock()
    pusher = RtmpPusher(
        nginx_rtmp.url("sk_pacing_0002"), init_segment=stream.init, pace=False, clock=clock, sleep=clock.sleep
    )
    reports = [pusher.push(segment) for segment in stream.segments]
    pusher.close()
    assert clock.sleeps == []
    assert [r.start_s for r in reports] == [0.0, 2.0, 4.0, 6.0]
