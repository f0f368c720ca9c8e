"""The Celery application (Celery's documented Django recipe). Queues: `default` and `render`."""

from __future__ import annotations

import logging
import os
from typing import Any

from celery import Celery
from celery.signals import worker_init
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("default"), Queue("render"))
app.autodiscover_tasks()


@worker_init.connect
def _preload_engine(**_: Any) -> None:
    """In the worker's parent, before the pool forks: see render/engine/preload.py for why."""
    from render.engine.preload import preload_engine_libraries

    seconds = preload_engine_libraries()
    logging.getLogger(__name__).info("render engine libraries imported in %.1f s", seconds)
