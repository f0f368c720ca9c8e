"""EU AI Act 50(1): a viewer talking to the clone must be told it is an AI. A stream whose first segment does not
carry the spoken disclosure fails it even though the label is on every segment; the compliant stream passes."""

from __future__ import annotations

from typing import Any

from tests.compliance.streams import results, stream


def test_a_stream_without_the_spoken_disclosure_fails_eu_article_50_1(personas: dict[str, Any]) -> None:
    silent = stream(personas, disclosure=False)

    outcome = results(silent)["EU-AIA-50-1"]

    assert outcome.result == "fail"
    assert "spoken AI disclosure" in outcome.detail


def test_a_stream_told_by_voice_and_label_passes_it(personas: dict[str, Any]) -> None:
    assert results(stream(personas))["EU-AIA-50-1"].result == "pass"
