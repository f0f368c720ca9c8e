"""A truncated file (here the last events cut off) fails verification."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.audit.bundles import bundle, event_lines, run_verifier

__all__ = ["bundle"]

pytestmark = pytest.mark.postgres


def test_events_cut_off_at_the_end_are_detected(bundle: Path) -> None:
    lines = event_lines(bundle)
    (bundle / "events.jsonl").write_bytes(b"".join(lines[:-3]))

    result = run_verifier(bundle)

    assert result.returncode == 1
    assert "proofs.jsonl line" in result.stderr
    assert "an event was removed" in result.stderr
