"""`manage.py export_bundle` writes a bundle that verifies, and refuses an unknown organisation with a sentence."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.audit.bundles import JOB_SUBJECT, run_verifier, seed_ledger

pytestmark = pytest.mark.postgres


def test_the_command_writes_a_bundle_its_verifier_accepts(
    personas: dict[str, Any], ledger_keys: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_ledger(personas)
    out = tmp_path / "acme.zip"

    call_command("export_bundle", "--organisation", "acme", "--subject", JOB_SUBJECT, "--out", str(out))

    assert "12 events" in capsys.readouterr().out
    with zipfile.ZipFile(out) as archive:
        archive.extractall(tmp_path / "unpacked")
    result = run_verifier(tmp_path / "unpacked")
    assert result.returncode == 0, result.stderr
    assert "12 events in 1 chains" in result.stdout
    with pytest.raises(CommandError, match="There is no organisation 'initech'"):
        call_command("export_bundle", "--organisation", "initech", "--out", str(out))
