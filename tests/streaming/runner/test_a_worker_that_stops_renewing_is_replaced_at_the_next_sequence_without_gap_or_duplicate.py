"""A runner that dies (stops renewing its lease without releasing it) is replaced: while its lease runs nobody else
may claim the stream; once it lapses by the database's clock, the watchdog lists the stream and another worker claims
it (ledgered as a takeover), re-plans the same blocks and continues at the next sequence number: no gap, no duplicate,
the C2PA chain unbroken, the RTMP timeline moving forward. The dead worker, back, finds its lease gone."""

from __future__ import annotations

import itertools
import time
from typing import Any

import pytest

from audit.models import LedgerEvent
from audit.selectors import verify_stored_ledger
from render.models import RenderJob, Segment
from streaming.models import StreamLease
from streaming.runner.lease import Claim, lapsed_stream_ids, renew_lease
from streaming.runner.loop import run_live_stream
from tests.streaming.live.nginx_rtmp import NginxRtmp
from tests.streaming.live.subscriber import Subscriber
from tests.streaming.runner.helpers import KEY, ScriptedControl, live_stream, runner_settings

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_a_lapsed_lease_is_taken_over_at_the_next_sequence(
    transactional_db: Any, personas: dict[str, Any], nginx_rtmp: NginxRtmp
) -> None:
    stream = live_stream(personas, nginx_rtmp)
    cfg = runner_settings(lease_seconds=2)
    with Subscriber(nginx_rtmp.url(KEY)) as viewer:
        first = run_live_stream(
            stream_id=stream.pk,
            holder="worker-a",
            control=ScriptedControl(),
            settings=cfg,
            max_segments=3,
            pace=False,
            release_at_end=False,
        )
        dead = StreamLease.objects.get(stream=stream)
        assert (first.status, first.published, dead.holder) == ("yielded", [0, 1, 2], "worker-a")
        assert run_live_stream(stream_id=stream.pk, holder="worker-b", settings=cfg).status == "lease_held"
        time.sleep(cfg.lease_seconds + 0.5)
        assert stream.pk in lapsed_stream_ids()  # what the watchdog queues the runner for

        second = run_live_stream(
            stream_id=stream.pk, holder="worker-b", control=ScriptedControl(), settings=cfg, max_segments=2, pace=False
        )
        viewer.wait_for(video_frames=viewer.seen.video_frames + 30, timeout=10)

    assert second.status == "yielded", second
    assert second.published == [3, 4]
    job = RenderJob.objects.get(stream_id=str(stream.public_id))
    segments = list(Segment.objects.filter(job=job).order_by("sequence"))
    assert [s.sequence for s in segments] == [0, 1, 2, 3, 4]
    for before, after in itertools.pairwise(segments):
        assert after.previous_manifest_id == before.manifest_id
    claims = [e.payload_data for e in LedgerEvent.objects.filter(subject=stream.subject, kind="stream.runner_claimed")]
    assert [(c["holder"], c["takeover"], c["next_sequence"]) for c in claims] == [
        ("worker-a", False, 0),
        ("worker-b", True, 3),
    ]
    published = LedgerEvent.objects.filter(subject=job.subject, kind="segment.published")
    assert sorted(e.payload_data["sequence"] for e in published) == [0, 1, 2, 3, 4]
    assert verify_stored_ledger().ok  # no gap in any chain
    # The dead worker comes back: its token is gone, so it must stop.
    assert not renew_lease(Claim(stream.pk, dead.token, "worker-a", 1), seconds=2)
    video = viewer.seen.times("video")
    assert video
    assert max(video) > 6.0
