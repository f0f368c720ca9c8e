"""The runner honours the schedule: the first segment that would air at or after `stops_at` is not rendered; the end
slate airs and goes into the archive, and the stream ends with the reason in the ledger."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from audit.models import LedgerEvent
from render.models import RenderJob, Segment
from streaming.live.control import NoControl
from streaming.models import Stream
from streaming.runner.loop import run_live_stream
from tests.streaming.live.nginx_rtmp import NginxRtmp
from tests.streaming.runner.helpers import live_stream, runner_settings

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_the_stream_ends_at_stops_at(transactional_db: Any, personas: dict[str, Any], nginx_rtmp: NginxRtmp) -> None:
    stream = live_stream(personas, nginx_rtmp)
    first = run_live_stream(
        stream_id=stream.pk, control=NoControl(), settings=runner_settings(), max_segments=1, pace=False
    )
    assert first.published == [0]
    now = timezone.now()
    Stream.objects.filter(pk=stream.pk).update(starts_at=now - timedelta(minutes=1), stops_at=now)

    outcome = run_live_stream(
        stream_id=stream.pk, control=NoControl(), settings=runner_settings(), max_segments=5, pace=False
    )

    assert (outcome.status, outcome.reason, outcome.published) == ("ended", "schedule_over", [])
    stream.refresh_from_db()
    assert stream.state == Stream.State.ENDED
    ended = LedgerEvent.objects.get(subject=stream.subject, kind="stream.ended")
    assert ended.payload_data["reason"] == "the schedule's stop time was reached"
    job = RenderJob.objects.get(stream_id=str(stream.public_id))
    assert Segment.objects.get(job=job, sequence=1).label.get("slate") == "ended"
