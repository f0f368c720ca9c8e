"""The ingest goes away while the stream is live (nginx stopped, started again 1.5 s later): the runner keeps
rendering and archiving every segment, the RTMP output reconnects with backoff, the outage is in the stream's ledger
(recovered, attempts), and a viewer that reconnects sees the timestamps continue above the ones before the cut, with
the AIGC metadata on both sides."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from audit.models import LedgerEvent
from render.models import RenderJob, Segment
from streaming.runner.loop import RunOutcome, run_live_stream
from tests.streaming.live.nginx_rtmp import NginxRtmp
from tests.streaming.live.subscriber import Subscriber
from tests.streaming.runner.helpers import KEY, ScriptedControl, live_stream, runner_settings

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_the_outage_is_ledgered_and_the_stream_goes_on(
    transactional_db: Any, personas: dict[str, Any], nginx_rtmp: NginxRtmp
) -> None:
    stream = live_stream(personas, nginx_rtmp)
    outcomes: list[RunOutcome] = []

    def runner() -> None:
        from django.db import connection

        try:
            outcomes.append(
                run_live_stream(
                    stream_id=stream.pk,
                    control=ScriptedControl(),
                    settings=runner_settings(rtmp_max_attempts=20, rtmp_give_up_seconds=30),
                    max_segments=6,
                    pace=False,
                )
            )
        finally:
            connection.close()

    thread = threading.Thread(target=runner, name="runner")
    with Subscriber(nginx_rtmp.url(KEY)) as viewer:
        thread.start()
        assert viewer.wait_for(video_frames=20, timeout=120), viewer.seen.errors[-3:]
        nginx_rtmp.stop()
        restart = threading.Timer(1.5, nginx_rtmp.start)
        restart.start()
        thread.join(timeout=180)
        restart.join()
        viewer.wait_for(video_frames=viewer.seen.video_frames + 30, timeout=10)
    seen = viewer.seen

    assert outcomes, "the runner did not return"
    assert outcomes[0].status == "yielded", outcomes
    job = RenderJob.objects.get(stream_id=str(stream.public_id))
    assert list(Segment.objects.filter(job=job).order_by("sequence").values_list("sequence", flat=True)) == list(
        range(6)
    )
    outages = [e.payload_data for e in LedgerEvent.objects.filter(subject=stream.subject, kind="stream.rtmp_outage")]
    assert outages, "the outage was not ledgered"
    assert outages[0]["recovered"] is True
    assert outages[0]["duration_s"] >= 0
    assert "attempts" in outages[0]
    assert outages[0]["reason"].startswith("dropped")
    assert "sk_live_runner" not in str(outages)  # the key never reaches the ledger

    sessions = sorted({s for s, _k, _t in seen.packets})
    assert len(sessions) >= 2, seen.errors
    before = [t for s, k, t in seen.packets if s == sessions[0] and k == "video"]
    after = [t for s, k, t in seen.packets if s == sessions[-1] and k == "video"]
    assert before
    assert after
    assert after[0] > before[-1]
    assert all(m.get("AIGC") for m in seen.metadata)
