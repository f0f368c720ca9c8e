"""An untouched bundle verifies with its own verify.py, run outside the platform (no Django, no audit package)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.audit.bundles import JOB_SUBJECT, bundle, run_verifier

__all__ = ["bundle"]

pytestmark = pytest.mark.postgres


def test_an_intact_bundle_verifies_with_its_own_verifier_and_nothing_of_the_platform(bundle: Path) -> None:
    result = run_verifier(bundle)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Bundle intact:")
    lines = [json.loads(line) for line in (bundle / "events.jsonl").read_text().splitlines()]
    subjects = {json.loads(json.dumps(line["envelope"]))["subject"] for line in lines if "envelope" in line}
    assert JOB_SUBJECT in subjects
    # Globex's events are not Acme's auditors' to see.
    assert not any(subject.startswith("product:") for subject in subjects)
    manifest = json.loads((bundle / "MANIFEST.json").read_text())
    assert manifest["counts"]["events"] == sum(1 for line in lines if "envelope" in line)
