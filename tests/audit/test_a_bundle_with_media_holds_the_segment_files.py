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
from tests.audit.bundles import run_verifier, stream_with_two_segments

pytestmark = pytest.mark.postgres


def test_media_goes_in_with_the_segment_records(personas: dict[str, Any], ledger_keys: Any, tmp_path: Path) -> None:
    job = stream_with_two_segments(personas)
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
