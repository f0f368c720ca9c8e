"""The recording re-hash (CN-ETRADE-LIVEVIDEO-3Y): every stored segment file hashed against the ledger's claim and
the Segment row. It reads every byte of a stream (gigabytes for a day-long stream), so it runs in the artifact check
(the Celery task, compliance.artifacts) and its dated result is stored there; the dashboard, reports and bundle read
that result, and "Re-check now" hashes again. Never on a page view."""

from __future__ import annotations

import hashlib
from typing import Any

from audit.models import LedgerEvent
from render.models import RenderJob, Segment

PASS, FAIL = "pass", "fail"
_MAX_FAILURES = 8


def rehash_recording(job: RenderJob) -> dict[str, Any]:
    """{result, detail, evidence, files, failures}: fail when a ledgered segment has no row, its file is missing, or
    the file's or the row's SHA-256 differs from the ledger's."""
    from render.publisher import segment_storage

    storage = segment_storage()
    rows = {row.sequence: row for row in Segment.objects.filter(job=job)}
    events = LedgerEvent.objects.filter(subject=job.subject, kind="segment.published").order_by("seq")
    failures: list[tuple[str, str]] = []
    refs: list[str] = []
    for event in events.iterator(chunk_size=2000):
        payload = event.payload_data
        sequence, claimed, ref = payload.get("sequence"), payload.get("sha256"), f"ledger:{event.pk}"
        refs.append(ref)
        row = rows.get(int(sequence)) if isinstance(sequence, int) else None
        if row is None:
            failures.append((ref, f"segment {sequence}: no stored file"))
            continue
        digest = hashlib.sha256()
        try:
            with storage.open(row.storage_name, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
        except OSError:
            failures.append((ref, f"segment {sequence}: the stored file is missing"))
            continue
        if digest.hexdigest() != claimed or row.sha256 != claimed:
            failures.append((ref, f"segment {sequence}: the stored file does not match the ledger"))
    if not refs:
        return {
            "result": FAIL,
            "detail": "No segment.published event: nothing proves what was aired.",
            "evidence": [f"ledger:{job.subject}"],
            "files": 0,
        }
    if failures:
        more = f" (+{len(failures) - 1} more)" if len(failures) > 1 else ""
        return {
            "result": FAIL,
            "detail": f"{failures[0][1]}{more}",
            "evidence": list(dict.fromkeys(ref for ref, _ in failures))[:_MAX_FAILURES],
            "files": len(refs),
        }
    return {
        "result": PASS,
        "detail": f"{len(refs)} stored files re-hashed: all match.",
        "evidence": list(dict.fromkeys([refs[0], refs[-1]])),
        "files": len(refs),
    }
