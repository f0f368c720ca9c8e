from __future__ import annotations

from typing import Any

from tests.compliance.streams import LABEL, results, stream


def test_a_label_below_five_percent_of_the_shortest_side_fails(personas: dict[str, Any]) -> None:
    # 36 px on a 720x1280 frame is 5 % of the height's... no: of the width, the shortest side, it is exactly 5 %;
    # 30 px is 4.2 %. The recorded fraction is a lie on purpose: the check recomputes it from the pixels.
    job = stream(personas, label={**LABEL, "text_height_px": 30, "text_height_fraction": 0.06})

    outcome = results(job)["CN-GB-VIDEO-HEIGHT"]

    assert outcome.result == "fail"
    assert "4.2%" in outcome.detail
    assert outcome.evidence[0].startswith("ledger:")
