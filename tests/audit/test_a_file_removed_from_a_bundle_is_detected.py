"""A bundle missing one of its files fails verification with a sentence naming the missing file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.audit.bundles import bundle, run_verifier

__all__ = ["bundle"]

pytestmark = pytest.mark.postgres


def test_removing_a_listed_file_is_named_as_missing(bundle: Path) -> None:
    (bundle / "consent_grants.jsonl").unlink()

    result = run_verifier(bundle)

    assert result.returncode == 1
    assert "The file consent_grants.jsonl listed in MANIFEST.json is missing from the bundle." in result.stderr
