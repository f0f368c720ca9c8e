"""The ledger claims a correct label on every segment, but the stored recording was re-encoded with the label painted
over: the artifact check finds no plate in the sampled frames, and the label rules fail on that measurement even
though every ledger claim passes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.compliance.artifacts.rendered import checked, paint_over_label, rendered_job
from tests.compliance.streams import results


@pytest.mark.slow
def test_a_segment_whose_label_is_missing_in_its_frames_fails_the_label_rule(personas: dict[str, Any]) -> None:
    job = rendered_job(personas)
    paint_over_label(job)

    check = checked(job)

    assert check.results["label_presence"]["result"] == "fail"
    assert "no label plate" in check.results["label_presence"]["detail"]
    assert not any(s["present"] for s in check.results["samples"])
    outcomes = results(job)
    for rule in ("LIVE-LABEL-PERSISTENT", "CN-GB-VIDEO-HEIGHT"):
        assert outcomes[rule].result == "fail", rule
        assert "no label plate" in outcomes[rule].detail
        assert f"artifact_check:{check.public_id}" in outcomes[rule].evidence
    # The re-encode also broke the C2PA binding: the verifier says so.
    assert outcomes["PROV-C2PA"].result == "fail"
