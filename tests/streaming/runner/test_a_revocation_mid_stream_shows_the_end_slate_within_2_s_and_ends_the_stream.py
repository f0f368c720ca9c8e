"""The influencer revokes her consent while the stream is live: within 2 s of the revocation's commit, measured at a
real nginx-rtmp's viewer, the stream shows the labelled end slate instead of the avatar (what was rendered ahead is
cut between frames, not played out); the end slate is in the archive, the stream is ended with the reason in the
ledger, and no avatar segment is published after the revocation."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from audit.models import LedgerEvent
from render.models import RenderJob, Segment
from streaming.models import Stream
from streaming.runner.loop import RunOutcome, run_live_stream
from tests.consent.helpers import revoke_with_passkey
from tests.streaming.live.nginx_rtmp import NginxRtmp
from tests.streaming.runner.helpers import KEY, ScriptedControl, live_stream, runner_settings
from tests.streaming.runner.timed_viewer import TimedViewer

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_revocation_cuts_to_the_end_slate_and_ends_the_stream(
    transactional_db: Any, personas: dict[str, Any], nginx_rtmp: NginxRtmp
) -> None:
    stream = live_stream(personas, nginx_rtmp)
    outcomes: list[RunOutcome] = []

    def runner() -> None:
        from django.db import connection

        try:
            outcomes.append(
                run_live_stream(
                    stream_id=stream.pk, control=ScriptedControl(), settings=runner_settings(lookahead_segments=2)
                )
            )
        finally:
            connection.close()

    thread = threading.Thread(target=runner, name="runner")
    with TimedViewer(nginx_rtmp.url(KEY)) as viewer:
        thread.start()
        assert viewer.wait(lambda seen: len(seen.frames) >= 45, timeout=120), viewer.seen.errors[-3:]
        revoke_with_passkey(stream.grant_used, stream.grant_used.authenticator, personas["iris"])
        committed = time.monotonic()
        assert viewer.wait(lambda seen: seen.first_slate_at() is not None, timeout=10), viewer.seen.errors[-3:]
        thread.join(timeout=60)
    slate_at = viewer.seen.first_slate_at()
    assert slate_at is not None
    latency = slate_at - committed
    assert latency <= 2.0, latency
    assert not any(slate for _at, _pts, slate in viewer.seen.frames if _at < committed)  # no slate before

    assert outcomes, "the runner did not return"
    assert outcomes[0].status == "ended", outcomes
    assert outcomes[0].reason == "consent_revoked"
    stream.refresh_from_db()
    assert stream.state == Stream.State.ENDED
    assert stream.runner_status == Stream.RunnerStatus.FINISHED
    ended = LedgerEvent.objects.get(subject=stream.subject, kind="stream.ended").payload_data
    assert ended["reason"] == "the influencer revoked the consent"
    job = RenderJob.objects.get(stream_id=str(stream.public_id))
    last = Segment.objects.filter(job=job).order_by("-sequence").first()
    assert last is not None
    assert last.label.get("slate") == "ended"
    assert last.grant_id is None
    revoked = LedgerEvent.objects.filter(kind="consent.revoked").order_by("-pk").first()
    assert revoked is not None
    avatar_after = Segment.objects.filter(job=job, grant__isnull=False, created_at__gt=revoked.recorded_at)
    assert not avatar_after.exists()
