from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from tests.audit.bundles import run_verifier
from tests.compliance.streams import stream


def _bundle(personas: dict[str, Any], tmp_path: Path, subject: str = "") -> Path:
    from audit.exports import build_export, create_command_line_export

    export = create_command_line_export(organisation=personas["acme"], subject=subject)
    built = build_export(export_id=export.pk, out=tmp_path / "bundle.zip")
    assert built.status == "done", built.error_message
    folder = tmp_path / "bundle"
    with zipfile.ZipFile(tmp_path / "bundle.zip") as archive:
        archive.extractall(folder)
    return folder


def test_the_auditor_bundle_carries_the_compliance_report_and_verifies_offline(
    personas: dict[str, Any], tmp_path: Path, settings: Any
) -> None:
    settings.AUDIT_EXPORTS_DIR = tmp_path / "exports"
    stream(personas)

    folder = _bundle(personas, tmp_path)

    report = json.loads((folder / "compliance" / "report.json").read_text())
    assert report["organisation"]["slug"] == "acme"
    assert {r["rule"]: r["result"] for r in report["results"]}["CN-GB-VIDEO-HEIGHT"] == "pass"
    assert (folder / "compliance" / "report.pdf").read_bytes().startswith(b"%PDF-")
    listed = {entry["path"] for entry in json.loads((folder / "MANIFEST.json").read_text())["files"]}
    assert {"compliance/report.json", "compliance/report.pdf"} <= listed
    intact = run_verifier(folder)
    assert intact.returncode == 0, intact.stdout + intact.stderr

    # A report changed after signing is named by the verifier.
    path = folder / "compliance" / "report.json"
    path.write_text(path.read_text().replace('"fail": 0', '"fail": 9'))
    changed = run_verifier(folder)
    assert changed.returncode != 0
    assert "compliance/report.json" in changed.stdout + changed.stderr


def test_a_stream_bundle_carries_that_streams_report(personas: dict[str, Any], tmp_path: Path, settings: Any) -> None:
    settings.AUDIT_EXPORTS_DIR = tmp_path / "exports"
    job = stream(personas)

    folder = _bundle(personas, tmp_path, subject=job.subject)

    report = json.loads((folder / "compliance" / "streams" / job.stream_id / "report.json").read_text())
    assert report["stream_id"] == job.stream_id
    assert [s["stream_id"] for s in report["streams"]] == [job.stream_id]
