"""The render engine's heavy libraries, imported once in a worker before its pool forks.

Why: the engine imports torch, PyAV, OpenCV, c2pa-python and scipy where it uses them, so a web process that never
renders does not pay for them. A Celery worker would pay on its first job instead: 4–5 s of imports on a 2-core
machine (measured in the worker that takes over a live stream, 2026-12-07), most of the 10 s in which a dead worker's
stream must continue (#12). `config.celery_app` calls `preload_engine_libraries()` in the worker's parent process
(`worker_init`), so every pool child, a child that replaces a killed one included, starts with them loaded and
shares their pages. Imports only: nothing here starts a Python thread, opens a GPU or loads a model, none of which
fork() carries over. The native threads the imports do start are BLAS thread pools (numpy's, scipy's and OpenCV's
OpenBLAS), which a forked child re-creates; the test
tests/config/test_a_worker_imports_the_render_libraries_before_its_pool_forks.py computes with every library in a
child forked after the preload.
"""

from __future__ import annotations

import importlib
import time

# What the live runner's first segment and an avatar build import (torch and scipy.signal cost the most: 2 s each).
ENGINE_LIBRARIES = (
    "torch",
    "scipy.signal",
    "scipy.ndimage",
    "cv2",
    "av",
    "c2pa",
    "numpy",
)


def preload_engine_libraries() -> float:
    """Import ENGINE_LIBRARIES; returns the seconds it took (a missing one raises: the worker cannot render)."""
    started = time.monotonic()
    for name in ENGINE_LIBRARIES:
        importlib.import_module(name)
    return time.monotonic() - started
