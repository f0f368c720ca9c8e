from __future__ import annotations

from typing import Any

from tests.compliance.streams import results, stream


def test_a_gap_in_the_segment_sequence_fails_the_persistent_label_rule(personas: dict[str, Any]) -> None:
    job = stream(personas, segments=4, skip=(2,))

    outcomes = results(job)

    assert outcomes["LIVE-LABEL-PERSISTENT"].result == "fail"
    assert "segment 2 is missing" in outcomes["LIVE-LABEL-PERSISTENT"].detail
    assert outcomes["PROV-C2PA"].result == "fail"  # segment 3 names segment 2's manifest, which nobody has
