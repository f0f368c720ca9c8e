"""Helpers of the public clip check tests: clips made with ffmpeg, a stream rendered by the real render path and
joined back into one file, and a client that posts a clip from its own address (the check is rate limited per IP)."""

from __future__ import annotations

import random
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from rest_framework.test import APIClient


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True, timeout=300)


def unmarked_clip(seconds: float = 3.0, size: str = "640x360") -> bytes:
    """A video no one watermarked: ffmpeg's moving test pattern, H.264 in MP4."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "plain.mp4"
        ffmpeg(
            "-f",
            "lavfi",
            "-i",
            f"testsrc2=size={size}:rate=25",
            "-t",
            str(seconds),
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            str(out),
        )
        return out.read_bytes()


def reencoded(data: bytes, *, bitrate: str = "800k") -> bytes:
    """`data` decoded and encoded again by ffmpeg's x264 at a lower bitrate (what a re-upload does): the C2PA
    manifests and the AIGC metadata are gone, the pixels carry the watermark."""
    with tempfile.TemporaryDirectory() as scratch:
        source, out = Path(scratch) / "in.mp4", Path(scratch) / "out.mp4"
        source.write_bytes(data)
        ffmpeg("-i", str(source), "-c:v", "libx264", "-b:v", bitrate, "-preset", "veryfast", "-an", str(out))
        return out.read_bytes()


def rendered_stream(personas: dict[str, Any]) -> tuple[Any, Any, bytes, list[bytes]]:
    """A job of iris's avatar for Acme rendered by the real task: (job, avatar, init segment, media segments)."""
    from render.models import Segment
    from render.services import segment_storage, submit_render_job
    from render.tasks import render_job_task
    from tests.render.helpers import SHORT_LINES, ready_avatar
    from tests.streaming.scripts_factory import approved_script

    avatar = ready_avatar(personas)
    job = submit_render_job(
        avatar=avatar,
        actor=personas["bob"],
        purpose="livestream_ecommerce",
        platform="douyin",
        script=approved_script(personas, SHORT_LINES),
    )
    assert render_job_task(job.pk)["status"] == "done"
    job.refresh_from_db()
    storage = segment_storage()
    with storage.open(job.init_storage_name, "rb") as handle:
        init = handle.read()
    segments = []
    for segment in Segment.objects.filter(job=job).order_by("sequence"):
        with storage.open(segment.storage_name, "rb") as handle:
            segments.append(handle.read())
    return job, avatar, init, segments


def client_from_somewhere() -> APIClient:
    """An anonymous client with an address of its own (198.18.0.0/15, a block kept for tests), so that counts left
    by earlier runs in the shared cache do not apply."""
    return APIClient(REMOTE_ADDR=f"198.18.{random.randrange(256)}.{random.randrange(1, 255)}")


def check(client: APIClient, data: bytes, content_type: str = "video/mp4") -> Any:
    return client.post("/api/v1/check-clip", data=data, content_type=content_type)
