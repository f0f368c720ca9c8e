from __future__ import annotations

from typing import Any

from tests.compliance.streams import results, stream


def test_an_organisation_without_an_approved_assessment_fails_the_pia_rule(personas: dict[str, Any]) -> None:
    job = stream(personas, with_assessment=False)

    outcome = results(job)["CN-PIPL-PIA-3Y"]

    assert outcome.result == "fail"
    assert outcome.detail == "No approved personal-information impact assessment."
