"""With no control given, the runner uses the platform's (PlatformControl): an interjection typed in the console is
spoken in a segment and marked spoken with it; the console learns which playlist line is on air; every speaking
segment is metered against the script version it speaks. With no operator heartbeat within the timeout the operator
domain pauses the stream (one absence pause, by the system, `pause_cause` operator_absent) and the runner airs the
holding slate; the returning operator's heartbeat resumes it, naming them, and the avatar speaks again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from audit.models import LedgerEvent
from render.models import RenderJob, Segment
from streaming.models import Interjection, LiveUsageSegment, OnAirLine, OperatorHeartbeat, Stream
from streaming.operators import heartbeat, interject, set_presence_timeout
from streaming.runner.loop import run_live_stream
from tests.streaming.live.nginx_rtmp import NginxRtmp
from tests.streaming.runner.helpers import live_stream, runner_settings

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_the_platform_control_drives_the_runner(
    transactional_db: Any, personas: dict[str, Any], nginx_rtmp: NginxRtmp
) -> None:
    stream = live_stream(personas, nginx_rtmp)
    bob = personas["bob"]
    # The longest timeout: on a loaded machine eight unpaced segments can take longer than the default minute.
    stream = set_presence_timeout(stream=stream, actor=personas["alice"], seconds=300)
    heartbeat(stream=stream, operator=bob)
    line = interject(stream=stream, operator=bob, text="Thanks for watching, everyone!")

    # Lines are planned whole: the interjection follows the opening line (the disclosure and the greeting, about
    # 12 s), so eight segments hear it.
    first = run_live_stream(stream_id=stream.pk, settings=runner_settings(), max_segments=8, pace=False)

    assert first.status == "yielded", first
    assert first.slates == {}
    line.refresh_from_db()
    assert line.state == Interjection.State.SPOKEN
    job = RenderJob.objects.get(stream_id=str(stream.public_id))
    assert line.spoken_sequence is not None
    assert line.spoken_sequence < 8
    spoken_in = Segment.objects.get(job=job, sequence=line.spoken_sequence)
    assert f"i{line.pk}" in spoken_in.script_line_ids
    assert LedgerEvent.objects.filter(subject=stream.subject, kind="stream.interjection_spoken").count() == 1
    assert OnAirLine.objects.filter(stream=stream).exists()  # the console shows the line on air
    version = stream.playlist.get().version
    metered = {u.sequence: u.script_version_id for u in LiveUsageSegment.objects.filter(stream=stream)}
    assert sorted(metered) == list(range(8))
    assert version.pk in metered.values()

    # Nobody at the console for longer than the timeout: the absence pause, once, by the system.
    OperatorHeartbeat.objects.filter(stream=stream).update(last_seen_at=timezone.now() - timedelta(minutes=10))
    absent = run_live_stream(stream_id=stream.pk, settings=runner_settings(), max_segments=2, pace=False)
    assert absent.slates == {8: "holding", 9: "holding"}
    stream.refresh_from_db()
    assert (stream.state, stream.pause_cause) == (Stream.State.PAUSED, Stream.PauseCause.OPERATOR_ABSENT)
    pauses = LedgerEvent.objects.filter(subject=stream.subject, kind="stream.paused")
    assert [(e.actor, e.payload_data["by"]) for e in pauses] == [("system", None)]
    assert LedgerEvent.objects.filter(subject=stream.subject, kind="stream.presence_lapsed").count() == 1

    # Bob is back: his heartbeat resumes the stream (naming him) and the avatar speaks at the next segment.
    beat = heartbeat(stream=Stream.objects.get(pk=stream.pk), operator=bob)
    assert beat.state == Stream.State.LIVE
    resumed = LedgerEvent.objects.get(subject=stream.subject, kind="stream.resumed")
    assert resumed.payload_data["by"] == str(bob.public_id)
    back = run_live_stream(stream_id=stream.pk, settings=runner_settings(), max_segments=1, pace=False)
    assert (back.published, back.slates) == ([10], {})
    stream.refresh_from_db()
    assert (stream.state, stream.pause_cause) == (Stream.State.LIVE, Stream.PauseCause.NONE)
