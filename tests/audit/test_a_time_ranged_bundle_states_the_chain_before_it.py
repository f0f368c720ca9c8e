"""A bundle of a time range starts chains in their middle: it says so (an elided line) and still verifies; without
that line the verifier names the missing events."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

from audit.exports import build_export, create_command_line_export
from audit.models import LedgerEvent
from tests.audit.bundles import JOB_SUBJECT, run_verifier, seed_ledger

pytestmark = pytest.mark.postgres


def test_a_bundle_from_the_middle_of_a_stream_verifies_and_names_a_dropped_elision(
    personas: dict[str, Any], ledger_keys: Any, tmp_path: Path
) -> None:
    seed_ledger(personas)
    seventh = LedgerEvent.objects.get(subject=JOB_SUBJECT, seq=7)
    export = create_command_line_export(organisation=personas["acme"], subject=JOB_SUBJECT, since=seventh.recorded_at)

    built = build_export(export_id=export.pk, out=tmp_path / "b.zip")

    assert built.event_count == 6
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        archive.extractall(tmp_path / "b")
    lines = (tmp_path / "b" / "events.jsonl").read_bytes().splitlines(keepends=True)
    assert lines[0] == b'{"elided":{"from_seq":1,"subject":"%s","to_seq":6}}\n' % JOB_SUBJECT.encode()
    assert run_verifier(tmp_path / "b").returncode == 0

    (tmp_path / "b" / "events.jsonl").write_bytes(b"".join(lines[1:]))
    result = run_verifier(tmp_path / "b")

    assert result.returncode == 1
    assert "has seq 7 but the chain's previous event has seq 0" in result.stderr
