"""Fail closed: the ledger claims a good label, C2PA manifests and watermarks, but no artifact check has looked at the
stored files, so the label, metadata and marking rules fail naming what is missing; the ledger-only rules still pass."""

from __future__ import annotations

from typing import Any

from tests.compliance.streams import results, stream


def test_a_stream_whose_files_were_never_examined_fails_the_artifact_rules(personas: dict[str, Any]) -> None:
    job = stream(personas, examined=False)

    outcomes = results(job)

    for rule in (
        "CN-GB-VIDEO-HEIGHT",
        "CN-GB-TEXT-ELEMENTS",
        "LIVE-LABEL-PERSISTENT",
        "CN-GB-META-FIELDS",
        "PROV-C2PA",
        "EU-AIA-50-2",
    ):
        assert outcomes[rule].result == "fail", rule
        assert "No artifact check has examined" in outcomes[rule].detail
    assert outcomes["CN-GB-VIDEO-START"].result == "pass"
    assert outcomes["CN-DS-BIOMETRIC-CONSENT"].result == "pass"
