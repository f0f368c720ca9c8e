"""A file slipped into a bundle fails verification: the manifest lists every file there is."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.audit.bundles import bundle, run_verifier

__all__ = ["bundle"]

pytestmark = pytest.mark.postgres


def test_an_extra_file_is_named_as_not_listed(bundle: Path) -> None:
    (bundle / "keys" / "extra.pem").write_text("not ours\n")

    result = run_verifier(bundle)

    assert result.returncode == 1
    assert "The file keys/extra.pem is not listed in MANIFEST.json" in result.stderr
