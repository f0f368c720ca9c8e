"""Another stream's recording passed off as this one: the ledger names stream B (its own watermark ids, the hashes of
the files it points at, so re-hashing passes), but the watermark decoded from the pixels names stream A. The
artifact check fails the watermark, and the machine-readable marking rule fails on it."""

from __future__ import annotations

from typing import Any

import pytest

from render.engine.watermark import stream_code_for
from tests.compliance.artifacts.rendered import checked, copied_as_another_stream, rendered_job
from tests.compliance.streams import results


@pytest.mark.slow
def test_a_watermark_naming_another_stream_than_the_ledger_fails(personas: dict[str, Any]) -> None:
    original = rendered_job(personas)
    other = copied_as_another_stream(original)

    check = checked(other)

    watermark = check.results["watermark"]
    assert watermark["result"] == "fail"
    assert f"names stream code {stream_code_for(original.stream_id):010x}" in watermark["detail"]
    outcomes = results(other)
    assert outcomes["EU-AIA-50-2"].result == "fail"
    assert outcomes["CN-ETRADE-LIVEVIDEO-3Y"].result == "pass"  # the files are the ones the ledger hashed
    # The untouched original still passes the same measurement.
    assert checked(original).results["watermark"]["result"] == "pass"
