"""An ingest that refuses every connection: the archive keeps rendering meanwhile (segments are published), the
outage goes to the ledger as not recovered, and after the configured limit the stream fails with the reason."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import LedgerEvent
from render.models import RenderJob, Segment
from streaming.models import Stream
from streaming.runner.loop import run_live_stream
from tests.streaming.live.nginx_rtmp import NginxRtmp
from tests.streaming.runner.helpers import ScriptedControl, live_stream, runner_settings

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_the_stream_fails_after_the_limit(
    transactional_db: Any, personas: dict[str, Any], nginx_rtmp: NginxRtmp
) -> None:
    stream = live_stream(personas, nginx_rtmp)
    nginx_rtmp.stop()  # refused from the first connection on

    outcome = run_live_stream(
        stream_id=stream.pk,
        control=ScriptedControl(),
        settings=runner_settings(rtmp_max_attempts=3, rtmp_give_up_seconds=4),
        max_segments=30,
    )

    assert outcome.status == "failed", outcome
    assert outcome.reason == "rtmp_gave_up"
    stream.refresh_from_db()
    assert stream.state == Stream.State.FAILED
    assert stream.runner_status == Stream.RunnerStatus.FAILED
    failed = LedgerEvent.objects.get(subject=stream.subject, kind="stream.failed").payload_data
    assert failed["reason"].startswith("rtmp_gave_up")
    outage = LedgerEvent.objects.get(subject=stream.subject, kind="stream.rtmp_outage").payload_data
    assert outage["recovered"] is False
    assert outage["attempts"] >= 1
    job = RenderJob.objects.get(stream_id=str(stream.public_id))
    assert Segment.objects.filter(job=job).count() >= 1  # rendered and archived while the push was down
