"""How render queues its tasks: after the transaction commits, on the `render` queue.

With a broker (REDIS_URL) this is Celery's `delay_on_commit`. On the embedded default (CELERY_TASK_ALWAYS_EAGER) an
eager task runs inside `on_commit`, in the thread that committed: a page's "start" request would then not answer
until the whole build or render had finished, minutes later, and its progress bar would never be seen. Pages
therefore wrap their service call in `work_in_background()`: there, an eager task starts on a daemon thread once
the transaction commits, and the request answers at once. The task is the same Celery task run by `apply` (so the
same code path as eager execution); every render task is idempotent and resumable (render/tasks.py), so a thread
cut off by a restart of the development server loses only the work in hand, as a killed worker would. The API and
the services' other callers (the demo, the tests) keep the synchronous eager behaviour they rely on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections, transaction

logger = logging.getLogger(__name__)

_background: ContextVar[bool] = ContextVar("render_work_in_background", default=False)


@contextmanager
def work_in_background() -> Iterator[None]:
    """Within this block, eager (in-process) render tasks run on a thread after commit instead of in the request."""
    token = _background.set(True)
    try:
        yield
    finally:
        _background.reset(token)


def runs_in_background() -> bool:
    return bool(settings.CELERY_TASK_ALWAYS_EAGER) and _background.get()


def dispatch(task: Any, *args: Any) -> None:
    """Queue `task(*args)` once the current transaction commits (see the module docstring for the eager case)."""
    if not runs_in_background():
        task.delay_on_commit(*args)
        return

    def start() -> None:
        thread = threading.Thread(target=_run, args=(task, args), name=f"veracast-{task.name}", daemon=True)
        thread.start()

    transaction.on_commit(start)


def _run(task: Any, args: tuple[Any, ...]) -> None:
    try:
        task.apply(args=args, throw=True)
    except Exception:  # the task records its own failure on its row; this is only for the log
        logger.exception("in-process render task %s%r failed", task.name, args)
    finally:
        # This thread's connections are its own (Django's are per thread): close them, or each run leaks one.
        for connection in connections.all(initialized_only=True):
            connection.close()
