"""A listed file replaced by a symbolic link (to something outside the bundle) is refused, not followed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.audit.bundles import bundle, run_verifier

__all__ = ["bundle"]

pytestmark = pytest.mark.postgres


def test_a_file_turned_into_a_link_is_named(bundle: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_bytes((bundle / "README.md").read_bytes())  # same bytes: the hash alone would not tell
    (bundle / "README.md").unlink()
    (bundle / "README.md").symlink_to(outside)

    result = run_verifier(bundle)

    assert result.returncode == 1
    assert "The file README.md is a symbolic link; a bundle holds only plain files." in result.stderr
