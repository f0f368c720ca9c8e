"""Helpers of the artifact-check tests (not a test module): a real stream rendered by the render task (real frames
with the burned-in label and the watermark, C2PA-signed segments, the AIGC label in the init segment), and the
artifact check run on it as the Celery task would."""

from __future__ import annotations

from typing import Any


def rendered_job(personas: dict[str, Any]) -> Any:
    from render.models import RenderJob
    from render.services import submit_render_job
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
    result = render_job_task(job.pk)
    assert result["status"] == "done"
    return RenderJob.objects.get(pk=job.pk)


def checked(job: Any, *, interval: float = 2.0) -> Any:
    """Run the artifact check now (the task's body) with one sample every `interval` seconds."""
    from compliance.artifacts import run_artifact_check
    from compliance.models import ArtifactCheck

    check = ArtifactCheck.objects.create(organisation=job.brand, job=job, interval_seconds=interval)
    return run_artifact_check(check.pk)


def _read(name: str) -> bytes:
    from render.publisher import segment_storage

    with segment_storage().open(name, "rb") as handle:
        return bytes(handle.read())


def _overwrite(name: str, data: bytes) -> None:
    """Replace a stored file in place, as someone with write access to the storage would (the ledger stays)."""
    from render.publisher import segment_storage

    path = segment_storage().path(name)
    with open(path, "wb") as handle:
        handle.write(data)


def paint_over_label(job: Any) -> None:
    """Re-encode the stored recording with the label's box painted grey (ffmpeg, an outside tool), and store it back
    as init + one fragment per segment. The watermark is built to survive a re-encode; the label is not there."""
    import subprocess
    import tempfile
    from pathlib import Path

    from render.engine.fmp4 import iter_boxes
    from render.models import Segment

    segments = list(Segment.objects.filter(job=job).order_by("sequence"))
    x, y, w, h = segments[0].label["box"]
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "in.mp4", Path(tmp) / "out.mp4"
        source.write_bytes(_read(job.init_storage_name) + b"".join(_read(s.storage_name) for s in segments))
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-i",
                str(source),
                "-an",
                "-vf",
                f"drawbox=x={x - 8}:y={y - 8}:w={w + 16}:h={h + 16}:color=gray:t=fill",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-crf",
                "18",
                "-g",
                "50",
                "-keyint_min",
                "50",
                "-sc_threshold",
                "0",
                "-movflags",
                "+frag_keyframe+empty_moov+default_base_moof",
                str(target),
            ],
            check=True,
            capture_output=True,
        )
        data = target.read_bytes()
    boxes = list(iter_boxes(data))
    init = b"".join(data[b.offset : b.offset + b.size] for b in boxes if b.kind in ("ftyp", "moov"))
    fragments: list[bytes] = []
    for box in boxes:
        if box.kind == "moof":
            fragments.append(data[box.offset : box.offset + box.size])
        elif box.kind == "mdat" and fragments:
            fragments[-1] += data[box.offset : box.offset + box.size]
    _overwrite(job.init_storage_name, init)
    for segment, fragment in zip(segments, fragments, strict=False):
        _overwrite(segment.storage_name, fragment)


def copied_as_another_stream(job: Any) -> Any:
    """Another stream's ledger and rows over copies of `job`'s stored files: the ledger says stream B (its own
    watermark ids, hashes of the files it points at), the pixels carry stream A's watermark."""
    import hashlib
    import uuid

    from audit.services import record_event
    from render.engine.watermark import SEQ_BITS, stream_code_for
    from render.models import RenderJob, Segment
    from render.publisher import store_file

    source = list(Segment.objects.filter(job=job).order_by("sequence"))
    other = RenderJob.objects.get(pk=job.pk)
    other.pk = None
    other.public_id = uuid.uuid4()
    other.stream_id = str(other.public_id)
    other.request_key = None
    other.playlist_storage_name = ""
    other.init_storage_name = store_file(f"{other.stream_id}/init.mp4", _read(job.init_storage_name))
    other.save()
    code = stream_code_for(other.stream_id)
    for segment in source:
        data = _read(segment.storage_name)
        name = store_file(f"{other.stream_id}/{segment.uri}", data)
        claimed = f"{(code << SEQ_BITS) | segment.sequence:016x}"
        event = record_event(
            kind="segment.published",
            subject=other.subject,
            payload={
                "sequence": segment.sequence,
                "uri": segment.uri,
                "sha256": hashlib.sha256(data).hexdigest(),
                "duration": segment.duration,
                "watermark_id": claimed,
                "label_parameters": segment.label,
            },
            actor="system",
            organisation=job.brand,
        )
        Segment.objects.create(
            job=other,
            sequence=segment.sequence,
            storage_name=name,
            uri=segment.uri,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            duration=segment.duration,
            manifest_id=segment.manifest_id,
            watermark_id=claimed,
            label=segment.label,
            ledger_event_id=event.pk,
        )
    return other
