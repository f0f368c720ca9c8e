from __future__ import annotations

from typing import Any

from tests.compliance.streams import results, stream


def test_a_compliant_stream_passes_every_checkable_rule_with_evidence(personas: dict[str, Any]) -> None:
    job = stream(personas)

    outcomes = results(job)

    failing = {rule: o.detail for rule, o in outcomes.items() if o.result == "fail"}
    assert failing == {}
    for rule in (
        "CN-GB-VIDEO-HEIGHT",
        "CN-GB-TEXT-ELEMENTS",
        "LIVE-LABEL-PERSISTENT",
        "PROV-C2PA",
        "CN-ETRADE-LIVEVIDEO-3Y",
        "CN-DS-BIOMETRIC-CONSENT",
        "CN-AD-ABSOLUTE",
        "CN-PIPL-PIA-3Y",
        "EU-AIA-50-4",
        "CN-LIVEMKT-AGE16",
    ):
        assert outcomes[rule].result == "pass", (rule, outcomes[rule].detail)
        assert outcomes[rule].evidence, rule
    # Segment rules cite the ledger events they read and the artifact check that measured the files; what software
    # cannot check is listed with the reason.
    evidence = outcomes["CN-GB-VIDEO-HEIGHT"].evidence
    assert all(ref.startswith(("ledger:", "artifact_check:")) for ref in evidence)
    assert any(ref.startswith("artifact_check:") for ref in evidence)
    assert outcomes["CN-DS-FILING"].result == "not_checkable"
    assert "filing number" in outcomes["CN-DS-FILING"].detail
    assert outcomes["CN-CIVIL-VOICE"].result == "not_applicable"
