"""A real render worker killed (SIGKILL) while it renders a segment loses only that segment: the task goes back to
the queue (acks_late, reject_on_worker_lost), a new worker child resumes at the first unpublished sequence, and the
job completes with no duplicate and no gap, in the Segment rows, in the ledger chain and in the C2PA chain."""

from __future__ import annotations

import itertools
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from audit.models import LedgerEvent
from audit.selectors import verify_stored_ledger
from render.models import RenderJob, Segment
from render.services import submit_render_job
from tests.render.helpers import SHORT_LINES, ready_avatar
from tests.streaming.scripts_factory import approved_script


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _wait_for(condition: Any, *, timeout: float, what: str, log: Path) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}; worker log:\n{log.read_text()[-4000:]}")


@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.postgres
def test_a_worker_killed_mid_segment_is_replaced_without_gap_or_duplicate(
    transactional_db: Any, personas: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    # transactional_db first: the worker process must see committed rows, and on_commit must dispatch for real.
    avatar = ready_avatar(personas)
    # The worker starts after the avatar exists, with this test's keys, vault key and data directory.
    worker = request.getfixturevalue("celery_worker_process")
    job = submit_render_job(
        avatar=avatar,
        actor=personas["bob"],
        purpose="livestream_ecommerce",
        platform="douyin",
        script=approved_script(personas, SHORT_LINES),
    )

    _wait_for(
        lambda: Segment.objects.filter(job=job).exists(), timeout=240, what="the first segment", log=worker.log_path
    )
    victims = _children(worker.process.pid)
    assert victims, "the prefork worker has no child process"
    for pid in victims:
        os.kill(pid, signal.SIGKILL)  # mid-segment: the child went straight on to the next sequence
    killed_at = Segment.objects.filter(job=job).count()

    final = _wait_for(
        lambda: RenderJob.objects.filter(pk=job.pk, status__in=["done", "failed", "cancelled"]).first(),
        timeout=420,
        what="the job to finish after the kill",
        log=worker.log_path,
    )
    log = worker.log_path.read_text()
    assert "WorkerLostError" in log or "exited prematurely" in log or "signal 9" in log, log[-3000:]
    assert final.status == "done", (final.error_code, final.error_message)
    assert killed_at < final.segment_count
    segments = list(Segment.objects.filter(job=job).order_by("sequence"))
    assert [s.sequence for s in segments] == list(range(final.segment_count))
    for before, after in itertools.pairwise(segments):
        assert after.previous_manifest_id == before.manifest_id
    events = list(LedgerEvent.objects.filter(subject=job.subject, kind="segment.published").order_by("seq"))
    assert [e.payload_data["sequence"] for e in events] == list(range(final.segment_count))
    assert [e.payload_data["sha256"] for e in events] == [s.sha256 for s in segments]
    # The job started once in the ledger even though two worker children ran it.
    assert LedgerEvent.objects.filter(subject=job.subject, kind="render_job.started").count() == 1
    assert verify_stored_ledger().ok
