"""Render tasks travel through Redis to a real `celery worker` process on the `render` queue."""

from __future__ import annotations

import os
from typing import Any

import pytest

from config import celery_app
from render.tasks import describe_worker_task


def test_render_tasks_are_routed_to_the_render_queue() -> None:
    route = celery_app.amqp.router.route({}, describe_worker_task.name)
    assert route["queue"].name == "render"


def test_render_tasks_are_acknowledged_late_one_at_a_time() -> None:
    assert describe_worker_task.acks_late is True
    assert describe_worker_task.reject_on_worker_lost is True
    assert celery_app.conf.worker_prefetch_multiplier == 1


@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.postgres
def test_a_worker_process_answers_a_render_task(celery_worker_process: Any) -> None:
    result = describe_worker_task.delay().get(timeout=90)
    assert result["pid"] != os.getpid()
    assert "CPUExecutionProvider" in result["onnxruntime_providers"]
    assert result["torch"].startswith("2.")
