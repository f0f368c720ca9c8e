"""CN-ETRADE-LIVEVIDEO-3Y re-hashes the stored files in the artifact check (the task): a file changed after airing
fails the rule at the next check, naming the segment."""

from __future__ import annotations

from typing import Any

from tests.compliance.streams import examined_clean, results, stream


def test_a_changed_segment_file_fails_the_recording_rule(personas: dict[str, Any]) -> None:
    from render.models import Segment
    from render.publisher import segment_storage

    job = stream(personas)
    assert results(job)["CN-ETRADE-LIVEVIDEO-3Y"].result == "pass"
    row = Segment.objects.get(job=job, sequence=1)
    path = segment_storage().path(row.storage_name)
    with open(path, "r+b") as handle:
        handle.write(b"X")
    examined_clean(job)  # the next check re-hashes

    outcome = results(job)["CN-ETRADE-LIVEVIDEO-3Y"]

    assert outcome.result == "fail"
    assert "segment 1: the stored file does not match the ledger" in outcome.detail
