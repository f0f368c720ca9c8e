"""Helpers of the auditor bundle tests (not a test module): a small ledger with two brands, a bundle of Acme's
records built through the export service and unpacked, and the bundle's verify.py run as an outsider would."""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest

JOB_SUBJECT = f"render_job:{uuid.UUID(int=7)}"


def seed_ledger(personas: dict[str, Any]) -> None:
    """Acme's stream (12 segment events) interleaved with Globex's events, over two checkpoints."""
    from audit.services import create_checkpoint, record_event

    acme, globex = personas["acme"], personas["globex"]
    for sequence in range(12):
        record_event(
            kind="segment.published",
            subject=JOB_SUBJECT,
            payload={"sequence": sequence, "sha256": f"{sequence:064x}", "manifest_id": f"urn:c2pa:{sequence}"},
            actor="system",
            organisation=acme,
        )
        record_event(
            kind="product.created",
            subject=f"product:{uuid.UUID(int=100 + sequence)}",
            payload={"product": str(sequence), "name": "Globex thing 雪"},
            actor="system",
            organisation=globex,
        )
        if sequence == 5:
            create_checkpoint()


def build_bundle(personas: dict[str, Any], tmp_path: Path, *, subject: str = "") -> Path:
    """Acme's bundle (built by the export service, as the task builds it), unpacked; returns the folder."""
    from audit.exports import build_export, create_command_line_export

    seed_ledger(personas)
    export = create_command_line_export(organisation=personas["acme"], subject=subject)
    built = build_export(export_id=export.pk, out=tmp_path / "bundle.zip")
    assert built.status == "done", built.error_message
    folder = tmp_path / "bundle"
    with zipfile.ZipFile(tmp_path / "bundle.zip") as archive:
        archive.extractall(folder)
    shutil.copy(folder / "verify.py", tmp_path / "pristine_verify.py")
    return folder


def stream_with_two_segments(personas: dict[str, Any]) -> Any:
    """A finished render job of iris for Acme with an init segment and two stored, ledgered segments."""
    import hashlib

    from audit.services import record_event
    from render.models import Avatar, RenderJob, Segment
    from render.publisher import store_file

    avatar = Avatar.objects.create(
        influencer=personas["iris"].influencer,
        brand=personas["acme"],
        purpose="livestream_ecommerce",
        platform="douyin",
        status=Avatar.Status.READY,
    )
    job = RenderJob(
        avatar=avatar,
        brand=personas["acme"],
        purpose="livestream_ecommerce",
        platform="douyin",
        settings={"width": 1280, "height": 720, "fps": 30},
        status=RenderJob.Status.DONE,
    )
    job.stream_id = str(job.public_id)
    job.init_storage_name = store_file(f"{job.stream_id}/init.mp4", b"init segment")
    job.save()
    for sequence in range(2):
        data = f"segment {sequence}".encode()
        stored = store_file(f"{job.stream_id}/seg-{sequence}.m4s", data)
        event = record_event(
            kind="segment.published",
            subject=job.subject,
            payload={"sequence": sequence, "sha256": hashlib.sha256(data).hexdigest()},
            actor="system",
            organisation=personas["acme"],
        )
        Segment.objects.create(
            job=job,
            sequence=sequence,
            storage_name=stored,
            uri=f"seg-{sequence}.m4s",
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            duration=2.0,
            manifest_id=f"urn:c2pa:{sequence}",
            watermark_id="00ff",
            ledger_event_id=event.pk,
        )
    return job


@pytest.fixture
def bundle(personas: dict[str, Any], ledger_keys: Any, tmp_path: Path, settings: Any) -> Path:
    settings.AUDIT_EXPORTS_DIR = tmp_path / "exports"
    return build_bundle(personas, tmp_path)


def run_verifier(folder: Path, *args: str, script: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python verify.py` in the folder, with nothing of the platform reachable: isolated mode (-I), an empty
    PYTHONPATH and no other environment, only the interpreter of the venv (which has `cryptography`)."""
    command = [sys.executable, "-I", str(script or folder / "verify.py")]
    if script is not None:
        command.append(str(folder))
    return subprocess.run(
        [*command, *args],
        cwd=folder,
        env={"PYTHONPATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def event_lines(folder: Path) -> list[bytes]:
    return (folder / "events.jsonl").read_bytes().splitlines(keepends=True)
