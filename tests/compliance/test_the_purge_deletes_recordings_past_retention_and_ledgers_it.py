from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.compliance.streams import results, stream


def test_the_purge_deletes_recordings_past_retention_and_ledgers_it(
    personas: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from audit.models import LedgerEvent
    from compliance.retention import purge_expired_recordings
    from render.models import Segment
    from render.publisher import segment_storage

    job = stream(personas)
    names = list(Segment.objects.filter(job=job).values_list("storage_name", flat=True))
    storage = segment_storage()

    # One day before the three years are up: nothing goes.
    early = purge_expired_recordings(now=job.finished_at + timedelta(days=3 * 366 - 1))
    assert early.purged == []
    assert all(storage.exists(name) for name in names)

    # Files go once the purge's ledger event is committed.
    with django_capture_on_commit_callbacks(execute=True):
        done = purge_expired_recordings(now=job.finished_at + timedelta(days=3 * 366 + 1))

    assert done.purged == [job.stream_id]
    assert not any(storage.exists(name) for name in names)
    assert Segment.objects.filter(job=job).count() == 3  # the hashes stay
    event = LedgerEvent.objects.get(kind="compliance.recording_purged")
    assert event.subject == job.subject
    assert event.payload_data["files"] == 4  # three segments and the init segment (this job stored no playlist)
    # The report says the files went lawfully rather than failing the recording rule.
    assert results(job)["CN-ETRADE-LIVEVIDEO-3Y"].result == "pass"
    assert purge_expired_recordings(now=job.finished_at + timedelta(days=3 * 366 + 2)).purged == []
