"""With media asked for, a stream's bundle carries its segment files and init segment, listed with their hashes
beside the segment records (C2PA manifest ids, watermark ids), and still verifies."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from audit.exports import build_export, create_command_line_export
from audit.services import record_event
from tests.audit.bundles import run_verifier

pytestmark = pytest.mark.postgres


def _job_with_two_segments(personas: dict[str, Any]) -> Any:
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


def test_media_goes_in_with_the_segment_records(personas: dict[str, Any], ledger_keys: Any, tmp_path: Path) -> None:
    job = _job_with_two_segments(personas)
    export = create_command_line_export(organisation=personas["acme"], subject=job.subject, include_media=True)

    built = build_export(export_id=export.pk, out=tmp_path / "b.zip")

    assert built.status == "done", built.error_message
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        archive.extractall(tmp_path / "b")
    folder = tmp_path / "b"
    assert (folder / "media" / job.stream_id / "seg-1.m4s").read_bytes() == b"segment 1"
    assert (folder / "media" / job.stream_id / "init.mp4").read_bytes() == b"init segment"
    segments = [json.loads(line) for line in (folder / "segments.jsonl").read_text().splitlines()]
    assert [(s["sequence"], s["manifest_id"], s["sha256"]) for s in segments] == [
        (0, "urn:c2pa:0", hashlib.sha256(b"segment 0").hexdigest()),
        (1, "urn:c2pa:1", hashlib.sha256(b"segment 1").hexdigest()),
    ]
    jobs = [json.loads(line) for line in (folder / "render_jobs.jsonl").read_text().splitlines()]
    assert [j["job"] for j in jobs] == [str(job.public_id)]
    # The public certificate chain the segments were signed with, and no private key anywhere.
    assert b"BEGIN CERTIFICATE" in (folder / "certificates" / "c2pa-chain.pem").read_bytes()
    assert not any(b"PRIVATE KEY" in p.read_bytes() for p in folder.rglob("*") if p.is_file() and p.suffix == ".pem")
    assert run_verifier(folder).returncode == 0
