"""A bundle holds the organisation's scripts, every version and every approval (the document the reviewer's passkey
signed), so an auditor can see which words were approved, by whom and with which overrides; another brand's scripts
stay out."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from audit.exports import build_export, create_command_line_export
from tests.streaming.scripts_factory import approved_script

pytestmark = pytest.mark.postgres


def _rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in archive.read(name).splitlines()]


def test_acme_bundle_holds_its_approved_script_and_not_globex_scripts(
    personas: dict[str, Any], ledger_keys: Any, tmp_path: Path
) -> None:
    acme_script = approved_script(
        personas, [{"id": "hello", "text": "Hello everyone", "language": "en", "intent": "greet"}], title="Acme hello"
    )
    approved_script(
        personas,
        [{"id": "hi", "text": "Welcome to Globex", "language": "en", "intent": "greet"}],
        organisation=personas["globex"],
        title="Globex hello",
    )

    export = build_export(
        export_id=create_command_line_export(organisation=personas["acme"]).pk, out=tmp_path / "b.zip"
    )

    assert export.status == "done", export.error_message
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        scripts = _rows(archive, "scripts/scripts.jsonl")
        versions = _rows(archive, "scripts/versions.jsonl")
        approvals = _rows(archive, "scripts/approvals.jsonl")
        manifest = json.loads(archive.read("MANIFEST.json"))
    assert [s["title"] for s in scripts] == ["Acme hello"]
    assert [v["sha256"] for v in versions] == [acme_script.version_sha256]
    assert len(approvals) == 1
    assert approvals[0]["document_sha256"]
    assert approvals[0]["version_id"] == versions[0]["id"]
    listed = json.dumps(manifest)
    assert "scripts/approvals.jsonl" in listed
