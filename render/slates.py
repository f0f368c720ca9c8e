"""Publishing a live stream's end slate after its consent ended.

Every other segment, slates included, goes through `render.publisher.record_segment`, which publishes only while
the job runs and its grant is usable. The end slate is the exception on purpose: it is what a stream shows BECAUSE
its consent was revoked or expired (or an operator ended it), so the job may already be stopped and the grant
unusable. It shows no likeness (render.engine.slate: text on a dark frame, the AI label, silence), so no consent is
needed for it; it is published with no grant, once per job, and its ledger event says which slate it is.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from audit.services import record_event
from render.engine.segment import SegmentResult
from render.models import RenderJob, Segment
from render.publisher import create_segment_row, store_file


def record_end_slate(*, job: RenderJob, result: SegmentResult, reason: str) -> Segment | None:
    """Store and publish the end slate as the job's next segment (None if that sequence is taken already)."""
    record = result.record
    if record.label.get("slate") != "ended" or record.script_line_ids:
        raise ValueError("only an end slate (no line spoken, no likeness) is published without consent")
    stored = store_file(f"{job.stream_id}/{record.uri}", result.data)
    try:
        with transaction.atomic():
            segment = create_segment_row(job=job, record=record, stored=stored, grant=None)
            event = record_event(
                kind="segment.published",
                subject=job.subject,
                payload={
                    "job": str(job.public_id),
                    **record.ledger_payload(),
                    "consent_grant_id": None,
                    "storage_name": stored,
                    "init_manifest_id": job.init_manifest_id,
                    "slate": "ended",
                    "reason": reason[:200],
                },
                actor="system",
                organisation=job.brand,
            )
            Segment.objects.filter(pk=segment.pk).update(ledger_event_id=event.pk)
    except IntegrityError:
        return None
    return segment
