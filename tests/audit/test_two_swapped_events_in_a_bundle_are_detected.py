"""Two events swapped in events.jsonl are named as out of order (not as a gap or a bad hash)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.audit.bundles import JOB_SUBJECT, bundle, event_lines, run_verifier

__all__ = ["bundle"]

pytestmark = pytest.mark.postgres


def test_swapping_two_neighbouring_events_is_named_as_out_of_order(bundle: Path) -> None:
    lines = event_lines(bundle)
    job = [i for i, line in enumerate(lines) if JOB_SUBJECT.encode() in line]
    first = job[4]
    lines[first], lines[first + 1] = lines[first + 1], lines[first]
    (bundle / "events.jsonl").write_bytes(b"".join(lines))

    result = run_verifier(bundle)

    assert result.returncode == 1
    assert f"events.jsonl line {first + 1}: events" in result.stderr
    assert "are out of order (two events were swapped or moved)" in result.stderr
