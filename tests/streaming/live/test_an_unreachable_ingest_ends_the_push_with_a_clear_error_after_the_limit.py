"""An ingest that refuses every connection: the pusher retries with growing, jittered waits, reports the outage (not
recovered, with its attempts) to the caller, and raises RtmpGaveUpError naming the masked ingest, the attempts and the
reason, after `max_attempts` or after `give_up_after_s` of outage, whichever comes first. The stream key appears in
no log line, no error text and nothing FFmpeg prints."""

from __future__ import annotations

import logging
import traceback

import pytest

from streaming.live import Outage, ReconnectPolicy, RtmpGaveUpError, RtmpPusher
from tests.streaming.live.nginx_rtmp import free_port
from tests.streaming.live.synthetic import synthetic_stream

KEY = "sk_live_9f8e7d6c5b4a"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def refusing_pusher(policy: ReconnectPolicy, clock: FakeClock, outages: list[Outage]) -> RtmpPusher:
    url = f"rtmp://127.0.0.1:{free_port()}/live/{KEY}?token=secret-token"  # nothing listens there
    return RtmpPusher(
        url,
        init_segment=synthetic_stream().init,
        policy=policy,
        on_outage=outages.append,
        clock=clock,
        sleep=clock.sleep,
        random=lambda: 0.5,
    )


def test_the_push_gives_up_after_max_attempts_with_backoff_between_them(
    caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    clock, outages = FakeClock(), []
    policy = ReconnectPolicy(initial_delay_s=1.0, multiplier=2, max_delay_s=3, jitter=0.5, max_attempts=4)
    pusher = refusing_pusher(policy, clock, outages)
    with pytest.raises(RtmpGaveUpError) as gave_up:
        pusher.push(synthetic_stream().segments[0])

    assert clock.sleeps == [0.75, 1.5, 2.25]  # 1, 2, 4 capped at 3; each less a quarter (jitter 0.5 x random 0.5)
    message = str(gave_up.value)
    assert "gave up pushing to rtmp://127.0.0.1:" in message
    assert "/live/****" in message
    assert "after 4 failed connection attempts" in message
    assert "refused" in message
    [outage] = outages
    assert (outage.attempts, outage.recovered, outage.reason.split(":")[0]) == (4, False, "refused")
    assert outage.started_at == 1000.0
    assert outage.ended_at == pytest.approx(1004.5)
    assert gave_up.value.outage is outage

    printed = capfd.readouterr()
    everything = "\n".join(
        [
            message,
            repr(gave_up.value),
            "".join(traceback.format_exception(gave_up.value)),
            caplog.text,
            printed.out,
            printed.err,
            repr(outage),
        ]
    )
    assert "attempt 1 failed" in caplog.text  # the logs were captured, so their silence about the key means something
    assert KEY not in everything
    assert "secret-token" not in everything
    assert gave_up.value.__cause__ is None
    assert gave_up.value.__suppress_context__


def test_the_push_gives_up_when_the_outage_outlasts_its_time_limit() -> None:
    clock, outages = FakeClock(), []
    policy = ReconnectPolicy(initial_delay_s=10, max_delay_s=10, jitter=0, max_attempts=100, give_up_after_s=25)
    pusher = refusing_pusher(policy, clock, outages)
    with pytest.raises(RtmpGaveUpError, match=r"after 4 failed connection attempts over 30\.0 s"):
        pusher.push(synthetic_stream().segments[0])
    assert clock.sleeps == [10, 10, 10]
    assert outages[0].attempts == 4
    assert not outages[0].recovered
