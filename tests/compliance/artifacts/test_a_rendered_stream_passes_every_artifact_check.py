"""A stream the render task produced passes the artifact check measured on its own pixels and files: the label's plate
is on every sampled frame with text at least 5 % of the shortest side, OCR reads both text elements, ffprobe reads
one AIGC label naming the stream, the stream verifier accepts the C2PA chain and the watermark decoded from every
sampled segment names this stream and segment. The evaluator then passes the label rules citing the dated check."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import LedgerEvent
from tests.compliance.artifacts.rendered import checked, rendered_job
from tests.compliance.streams import results


@pytest.mark.slow
def test_a_rendered_stream_passes_every_artifact_check(personas: dict[str, Any]) -> None:
    job = rendered_job(personas)

    check = checked(job)

    parts = {k: v for k, v in check.results.items() if k not in ("samples", "timing")}
    assert {k: v["result"] for k, v in parts.items()} == dict.fromkeys(parts, "pass"), parts
    samples = check.results["samples"]
    assert len(samples) >= job.segment_count  # one per 2 s here: every segment
    assert all(s["present"] and s["text_height_px"] >= 0.05 * 720 for s in samples), samples
    assert check.progress_done == check.progress_total
    event = LedgerEvent.objects.get(subject=job.subject, kind="compliance.artifact_checked")
    assert event.payload_data["results"]["watermark"] == "pass"
    outcomes = results(job)
    for rule in ("CN-GB-VIDEO-HEIGHT", "LIVE-LABEL-PERSISTENT", "CN-GB-META-FIELDS", "PROV-C2PA", "EU-AIA-50-2"):
        assert outcomes[rule].result == "pass", (rule, outcomes[rule])
        assert f"artifact_check:{check.public_id}" in outcomes[rule].evidence
