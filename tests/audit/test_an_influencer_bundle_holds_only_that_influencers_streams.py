"""A bundle narrowed to one influencer holds the chains of that influencer's avatars and streams for the brand, and
not the brand's other events."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from audit.exports import build_export, scope_of
from audit.models import AuditExport
from tests.audit.bundles import JOB_SUBJECT, run_verifier, seed_ledger, stream_with_two_segments

pytestmark = pytest.mark.postgres


def test_only_the_influencers_chains_go_in(personas: dict[str, Any], ledger_keys: Any, tmp_path: Path) -> None:
    seed_ledger(personas)  # Acme events under a subject that is no stream of iris's
    job = stream_with_two_segments(personas)
    export = AuditExport.objects.create(
        organisation=personas["acme"], requested_by=personas["audrey"], influencer=personas["iris"].influencer
    )
    assert job.subject in (scope_of(export).subjects or ())

    built = build_export(export_id=export.pk, out=tmp_path / "b.zip")

    assert built.status == "done", built.error_message
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        archive.extractall(tmp_path / "b")
    lines = (tmp_path / "b" / "events.jsonl").read_text().splitlines()
    subjects = {json.loads(line)["envelope"]["subject"] for line in lines}
    assert subjects == {job.subject}
    assert JOB_SUBJECT not in subjects
    assert run_verifier(tmp_path / "b").returncode == 0
