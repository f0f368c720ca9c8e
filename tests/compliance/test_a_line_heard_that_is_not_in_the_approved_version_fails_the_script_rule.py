"""Every line heard must trace to the approved script version: a segment whose ledger entry names a line id that the
approved version does not contain fails the script rule, naming the segment and the line; the aired approved lines
(and the renderer's own disclosure line) pass."""

from __future__ import annotations

from typing import Any

from tests.compliance.streams import results, stream


def test_a_line_heard_that_is_not_in_the_approved_version_fails_the_script_rule(personas: dict[str, Any]) -> None:
    job = stream(personas, line="improvised")

    outcome = results(job)["CN-AD-ABSOLUTE"]

    assert outcome.result == "fail"
    assert "line 'improvised' is not in the approved version" in outcome.detail
    assert outcome.evidence[0].startswith("ledger:")


def test_approved_lines_and_the_disclosure_pass(personas: dict[str, Any]) -> None:
    outcome = results(stream(personas))["CN-AD-ABSOLUTE"]

    assert outcome.result == "pass", outcome.detail
    assert "every line heard is one of its lines" in outcome.detail
