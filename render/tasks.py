"""Celery tasks of the render domain. They run on the `render` queue (see CELERY_TASK_ROUTES), on GPU machines where
present and on CPU otherwise.

Render tasks are acknowledged late (`acks_late`) and rejected back to the queue if the worker dies
(`reject_on_worker_lost`), so a killed worker loses at most the work in hand, which another worker redoes; that is only
safe because every render task is idempotent. Heavy libraries (torch, onnxruntime) are imported inside the task body,
so the web tier never loads them and each worker child loads them once.
"""

from __future__ import annotations

import os
import socket
from typing import Any

from celery import Task, shared_task

RENDER_TASK_OPTIONS: dict[str, Any] = {"acks_late": True, "reject_on_worker_lost": True}


@shared_task(**RENDER_TASK_OPTIONS)
def describe_worker_task() -> dict[str, Any]:
    """Report what this render worker can do: which accelerators torch and onnxruntime see. Read-only, so idempotent."""
    import onnxruntime
    import torch

    return {
        "hostname": socket.gethostname(),
        "pid": os.getpid(),
        "torch": torch.__version__,
        "cuda_available": bool(torch.cuda.is_available()),
        "cuda_devices": torch.cuda.device_count(),
        "onnxruntime": onnxruntime.__version__,
        "onnxruntime_providers": list(onnxruntime.get_available_providers()),
    }


@shared_task(bind=True, **RENDER_TASK_OPTIONS)
def build_avatar_task(self: Task, avatar_id: int) -> dict[str, Any]:
    """Build one avatar (idempotent: a finished avatar is left alone, an interrupted build starts again)."""
    from render.avatars import build_avatar_now

    def progress(value: float) -> None:
        if self.request.id and not self.request.called_directly:
            self.update_state(state="PROGRESS", meta={"avatar_id": avatar_id, "progress": round(value, 4)})

    avatar = build_avatar_now(avatar_id=avatar_id, on_progress=progress)
    return {"avatar_id": avatar_id, "status": avatar.status, "error_code": avatar.error_code}


@shared_task(**RENDER_TASK_OPTIONS)
def render_job_task(job_id: int) -> dict[str, Any]:
    """Render one job's remaining segments (idempotent: resumes after the last published segment)."""
    from render.jobs import run_render_job

    job = run_render_job(job_id=job_id)
    return {"job_id": job_id, "status": job.status, "error_code": job.error_code}


@shared_task(**RENDER_TASK_OPTIONS)
def short_video_task(video_id: int) -> dict[str, Any]:
    """Render one short video (idempotent: a finished video is left alone, an interrupted one renders again)."""
    from render.short_videos import run_short_video

    video = run_short_video(video_id=video_id)
    return {"video_id": video_id, "status": video.status, "error_code": video.error_code}
