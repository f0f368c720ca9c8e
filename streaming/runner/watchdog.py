"""Noticing a dead runner: a beat task every LIVE_WATCHDOG_SECONDS queues the runner again for every live stream
whose lease lapsed.

Why a watchdog and not Celery's redelivery: the runner task lasts as long as its stream (hours). Acknowledged late,
its message would sit unacknowledged all that time and the Redis transport would hand it to a second worker after
its visibility timeout (an hour by default) while the first still runs; and a worker MACHINE that dies is only
noticed after that same timeout, far past the 10 s the issue allows. So the runner task is acknowledged when it
starts, and the lease is the only truth about who runs a stream: lapsed (by the database's clock) means nobody
does. Requeueing is rate-limited per stream to once per lease period (a cache key), and a duplicate is harmless: it
finds the lease claimed and returns."""

from __future__ import annotations

from django.core.cache import cache

from streaming.runner.config import RunnerSettings
from streaming.runner.lease import lapsed_stream_ids


def requeue_lapsed_streams() -> list[int]:
    from streaming.tasks import run_live_stream_task

    cfg = RunnerSettings.load()
    queued = []
    for stream_id in lapsed_stream_ids():
        if cache.add(f"live-runner-requeue:{stream_id}", 1, timeout=cfg.lease_seconds):
            run_live_stream_task.delay(stream_id)
            queued.append(stream_id)
    return queued
