"""A Celery worker imports the render engine's heavy libraries in its parent process (`worker_init`), so the pool
child that takes over a dead worker's live stream starts with them loaded (render/engine/preload.py) — without
starting a Python thread or touching a GPU, and a child forked after it computes with every one of them (BLAS thread
pools, the only native threads the imports start, must come back in the child). Run in a fresh interpreter: the test
process has long imported them all."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_PROBE = """
import json, os, sys, threading, time
import django
django.setup()
from celery.signals import worker_init
from config.celery_app import app
from render.engine.preload import ENGINE_LIBRARIES
before = {name: name in sys.modules for name in ENGINE_LIBRARIES}
threads_before = threading.active_count()
worker_init.send(sender=None)
import torch

def work():  # one small computation in each library the engine uses after fork
    import av, cv2, numpy as np, scipy.ndimage, scipy.signal
    a = np.random.default_rng(0).random((300, 300), dtype=np.float32)
    assert float((a @ a).sum()) > 0
    assert float(torch.from_numpy(a).matmul(torch.from_numpy(a)).sum()) > 0
    assert cv2.resize(a, (150, 150)).shape == (150, 150)
    assert scipy.signal.lfilter([1.0], [1.0, -0.5], a[0]).shape == (300,)
    assert scipy.ndimage.uniform_filter1d(a[0], 5).shape == (300,)
    assert av.codec.Codec("libx264", "w").name == "libx264"

pid = os.fork()
if pid == 0:
    try:
        work()
        os._exit(0)
    except BaseException:
        os._exit(3)
deadline = time.monotonic() + 120
status = None
while time.monotonic() < deadline:
    done, code = os.waitpid(pid, os.WNOHANG)
    if done:
        status = os.waitstatus_to_exitcode(code)
        break
    time.sleep(0.05)
if status is None:
    os.kill(pid, 9)
print(json.dumps({
    "child_exit": status,
    "before": before,
    "after": {name: name in sys.modules for name in ENGINE_LIBRARIES},
    "threads_before": threads_before,
    "threads_after": threading.active_count(),
    "cuda_initialized": torch.cuda.is_initialized(),
}))
"""


def test_the_worker_s_parent_imports_the_engine_libraries_without_starting_a_thread() -> None:
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300, check=True
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["before"]["torch"] is False  # Django alone loads neither
    assert seen["before"]["scipy.signal"] is False
    assert all(seen["after"].values()), seen["after"]
    assert seen["threads_after"] == seen["threads_before"]  # Python threads: none started
    assert seen["child_exit"] == 0  # None: the forked child hung (a thread pool lost in fork); 3: it failed
    assert seen["cuda_initialized"] is False
