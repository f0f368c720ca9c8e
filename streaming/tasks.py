"""Celery tasks of the streaming domain: thin, they take ids.

`run_live_stream_task` runs on the `render` queue (CELERY_TASK_ROUTES) for as long as its stream is live, so its
time limit is LIVE_TASK_TIME_LIMIT, not the general one; it is acknowledged on receipt, not late (a dead runner is
noticed through its lease by `watch_live_streams_task`: see streaming/runner/watchdog.py for why).
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings


@shared_task(
    acks_late=False,
    time_limit=settings.LIVE_TASK_TIME_LIMIT,
    # The general soft limit (CELERY_TASK_SOFT_TIME_LIMIT, half an hour) would stop a stream mid-air.
    soft_time_limit=settings.LIVE_TASK_TIME_LIMIT - 30,
)
def run_live_stream_task(stream_id: int) -> dict[str, Any]:
    """Run one live stream from its lease (returns at once when another worker holds it)."""
    from streaming.runner.loop import run_live_stream

    outcome = run_live_stream(stream_id=stream_id)
    return {"stream_id": stream_id, "status": outcome.status, "reason": outcome.reason}


@shared_task
def watch_live_streams_task() -> list[int]:
    """Queue the runner again for live streams whose lease lapsed."""
    from streaming.runner.watchdog import requeue_lapsed_streams

    return requeue_lapsed_streams()
