"""An event removed from the middle of a chain is named as missing from that chain."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.audit.bundles import JOB_SUBJECT, bundle, event_lines, run_verifier

__all__ = ["bundle"]

pytestmark = pytest.mark.postgres


def test_removing_one_event_from_the_middle_names_the_gap_in_its_chain(bundle: Path) -> None:
    lines = event_lines(bundle)
    job = [i for i, line in enumerate(lines) if JOB_SUBJECT.encode() in line]
    removed = job[6]
    del lines[removed]
    (bundle / "events.jsonl").write_bytes(b"".join(lines))

    result = run_verifier(bundle)

    assert result.returncode == 1
    assert f"events.jsonl line {removed + 1}:" in result.stderr
    assert f"of {JOB_SUBJECT} has seq 8 but the chain's previous event has seq 6" in result.stderr
    assert "missing from the chain" in result.stderr
