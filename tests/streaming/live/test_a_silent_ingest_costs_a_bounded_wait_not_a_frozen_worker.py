"""An ingest that accepts the TCP connection and never answers the RTMP handshake (or a host that never answers at
all): FFmpeg would wait forever while holding the GIL, so the pusher's own handshake probe gives up after
`io_timeout_s`, the attempt counts as failed ("timed out") and the push ends with RtmpGaveUpError within the policy."""

from __future__ import annotations

import socket
import time

import pytest

from streaming.live import Outage, ReconnectPolicy, RtmpGaveUpError, RtmpPusher
from tests.streaming.live.synthetic import synthetic_stream


def test_a_listener_that_never_answers_times_out_each_attempt() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel accepts connections; nobody reads or writes
        port = silent.getsockname()[1]
        outages: list[Outage] = []
        pusher = RtmpPusher(
            f"rtmp://127.0.0.1:{port}/live/sk_silent_0001",
            init_segment=synthetic_stream().init,
            io_timeout_s=0.4,
            policy=ReconnectPolicy(initial_delay_s=0.05, max_attempts=3),
            on_outage=outages.append,
        )
        started = time.monotonic()
        with pytest.raises(
            RtmpGaveUpError, match=r"after 3 failed connection attempts .* timed out: no answer within 0.4 s"
        ):
            pusher.push(synthetic_stream().segments[0])
        elapsed = time.monotonic() - started
    assert 1.2 <= elapsed <= 3.0
    assert outages[0].reason.startswith("timed out")
    assert outages[0].attempts == 3
