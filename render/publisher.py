"""The segment publisher: gate check → render → store → ledger event → outputs, once per segment.

`publish_segment` is what a render job's loop calls for each sequence, and what a live runner calls once per segment:

1. the job must still be running (a person or the revocation hook may have stopped it);
2. the consent gate must allow the use at this moment (a refusal ends the job: `render_job.stopped`, the reason);
3. the engine renders the segment (its refusals end the job: `render_job.failed` with a stable code);
4. the bytes are stored (a re-render after a crash replaces the orphan a dead worker left);
5. ONE transaction locks the job and the consent grant (`SELECT ... FOR UPDATE`, as `revoke_consent` does), re-reads
   the grant and publishes only if it is still live: the Segment row and its `segment.published` event. Revocation
   and publication are serialised on the grant row, so a segment is never published after the revocation commits:
   "revoked at T" and "published at T+x" cannot both be in the ledger;
6. after commit, the segment is handed to the outputs (the HLS playlists; a live runner adds its own).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import record_event
from consent.gate import BRAND_REFUSAL_CODE, BRAND_REFUSAL_MESSAGE
from consent.models import ConsentGrant
from consent.services import record_use_refused
from render.errors import ConsentRefused, RenderFailed
from render.gating import gate_job
from render.models import RenderJob, Segment
from render.runtime import engine_error

if TYPE_CHECKING:
    from render.engine.segment import SegmentRecord, SegmentResult
    from render.engine.stream import StreamPlan, StreamRenderer

logger = logging.getLogger(__name__)

# A consent grant in one of these states may still be used (the gate decides the rest before rendering).
_USABLE_GRANT_STATUSES = (ConsentGrant.Status.ACTIVE,)

# An output receives each published segment after its transaction commits: (job, segment row, record, bytes).
SegmentOutput = Callable[[RenderJob, Segment, "SegmentRecord", bytes], None]


@dataclass(frozen=True)
class Publication:
    """What became of one sequence: `published` (with its row and record), or why not."""

    status: str  # "published", "stopped" (not running, gate or consent refused), "failed" (render refused)
    segment: Segment | None = None
    record: SegmentRecord | None = None
    reason: str = ""

    @property
    def published(self) -> bool:
        return self.status == "published"


# Storage and playlists -----------------------------------------------------------------------------------------


def segment_storage() -> Storage:
    """Where segments go: the `segments` storage when configured, else VERACAST_DATA_DIR/segments/."""
    if "segments" in settings.STORAGES:
        return storages["segments"]
    return FileSystemStorage(location=Path(settings.DATA_DIR) / "segments")


def store_file(name: str, data: bytes) -> str:
    storage = segment_storage()
    # A segment re-rendered after a crash replaces the orphan the dead worker may have stored (no row points at it).
    if storage.exists(name):
        storage.delete(name)
    return storage.save(name, ContentFile(data))


def create_segment_row(*, job: RenderJob, record: SegmentRecord, stored: str, grant: ConsentGrant | None) -> Segment:
    """The Segment row of a stored segment file, as its record describes it (inside the publishing transaction)."""
    return Segment.objects.create(
        job=job,
        sequence=record.sequence,
        storage_name=stored,
        uri=record.uri,
        sha256=record.sha256,
        size=record.size,
        duration=record.duration,
        wall_clock_start=record.wall_clock_start,
        manifest_id=record.manifest_id,
        previous_manifest_id=record.previous_manifest_id or "",
        watermark_id=record.watermark_id,
        label=record.label,
        grant=grant,
        script_line_ids=list(record.script_line_ids),
    )


def rewrite_playlists(job: RenderJob, *, ended: bool) -> None:
    """The job's media playlist (every published segment with its wall-clock start) and its multivariant playlist
    (BANDWIDTH from the largest segment, CODECS from the init segment, RESOLUTION)."""
    from render.engine.hls import PlaylistSegment, codecs_of, media_playlist, multivariant_playlist, peak_bandwidth

    if not job.init_storage_name:
        return
    segments = [
        PlaylistSegment(s.uri, s.duration, s.size, s.wall_clock_start) for s in job.segments.order_by("sequence")
    ]
    stored = store_file(
        f"{job.stream_id}/index.m3u8", media_playlist(segments, target_duration=2, ended=ended).encode()
    )
    if job.playlist_storage_name != stored:
        RenderJob.objects.filter(pk=job.pk).update(playlist_storage_name=stored)
        job.playlist_storage_name = stored
    if segments:
        with segment_storage().open(job.init_storage_name, "rb") as init:
            codecs = codecs_of(init.read())
        variants = multivariant_playlist(
            media_uri="index.m3u8",
            bandwidth=peak_bandwidth(segments),
            codecs=codecs,
            resolution=(int(job.settings["width"]), int(job.settings["height"])),
            frame_rate=float(job.settings["fps"]),
        )
        store_file(f"{job.stream_id}/master.m3u8", variants.encode())


def hls_output(job: RenderJob, segment: Segment, record: SegmentRecord, data: bytes) -> None:
    """The default output: the job's HLS playlists name the new segment."""
    rewrite_playlists(job, ended=False)


# Ending a job --------------------------------------------------------------------------------------------------


def end_job_if(job_id: int, statuses: Sequence[str], *, status: str, code: str, message: str) -> RenderJob:
    """Lock the job and, if it is still in one of `statuses`, end it on the system's behalf."""
    with transaction.atomic():
        locked = RenderJob.objects.select_for_update().get(pk=job_id)
        if locked.status in statuses:
            end_job(locked, status=status, code=code, message=message, actor="system")
    return locked


def end_job(job: RenderJob, *, status: str, code: str, message: str, actor: Any) -> None:
    """Inside the caller's transaction, with `job` locked."""
    job.status = status
    job.error_code = code if status != RenderJob.Status.DONE else ""
    job.error_message = message[:2000]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error_code", "error_message", "finished_at"])
    payload: dict[str, Any] = {"job": str(job.public_id), "published_segments": job.segments.count()}
    if status == RenderJob.Status.DONE:
        record_event(kind="render_job.ended", subject=job.subject, payload=payload, actor=actor, organisation=job.brand)
        return
    payload["reason"] = code
    payload["message"] = message[:500]
    if status == RenderJob.Status.CANCELLED:
        record_event(
            kind="render_job.stopped", subject=job.subject, payload=payload, actor=actor, organisation=job.brand
        )
    else:
        record_event(
            kind="render_job.failed", subject=job.subject, payload=payload, actor=actor, organisation=job.brand
        )


def fail_job(job_id: int, failure: RenderFailed) -> RenderJob:
    locked = end_job_if(
        job_id, RenderJob.ACTIVE, status=RenderJob.Status.FAILED, code=failure.code, message=failure.message
    )
    rewrite_playlists(locked, ended=True)
    return locked


def stop_job(job_id: int, *, code: str, message: str) -> RenderJob:
    locked = end_job_if(job_id, RenderJob.ACTIVE, status=RenderJob.Status.CANCELLED, code=code, message=message)
    rewrite_playlists(locked, ended=True)
    return locked


# Publishing ----------------------------------------------------------------------------------------------------


def _unusable(grant: ConsentGrant | None, now: datetime) -> str:
    """Why the (locked) grant may not be used now, or ""."""
    if grant is None:
        return "no_consent"
    if grant.status not in _USABLE_GRANT_STATUSES:
        return str(grant.status)
    if not grant.valid_from <= now < grant.valid_until:
        return "expired" if now >= grant.valid_until else "not_yet_valid"
    return ""


def open_segment(job: RenderJob) -> Publication | None:
    """Steps 1 and 2 (the job still runs, the gate allows the use now) before a segment is rendered: None, or why
    not (a refusal ends the job). A live runner rendering a segment a part at a time asks this before its first
    part and publishes it with `record_segment` after its last (what aired is what is signed)."""
    status = RenderJob.objects.filter(pk=job.pk).values_list("status", flat=True).get()
    if status != RenderJob.Status.RUNNING:  # cancelled by a person or by the revocation hook
        return Publication("stopped", reason=status)
    try:
        gate_job(job)
    except ConsentRefused as refused:
        stop_job(job.pk, code=refused.reason, message=str(refused.detail))
        return Publication("stopped", reason=refused.reason)
    return None


def publish_segment(
    *,
    job: RenderJob,
    renderer: StreamRenderer,
    plan: StreamPlan,
    sequence: int,
    previous_manifest_id: str | None,
    wall_clock_start: datetime | None = None,
    outputs: Sequence[SegmentOutput] = (hls_output,),
) -> Publication:
    """Gate check → render → store → ledger event → outputs for segment `sequence` of `job` (see the module doc).

    `wall_clock_start` is when the segment's first frame is on air (a live runner passes its clock; default now).
    """
    refused = open_segment(job)
    if refused is not None:
        return refused
    try:
        result = renderer.render_segment(
            plan, sequence, previous_manifest_id=previous_manifest_id, wall_clock_start=wall_clock_start
        )
    except Exception as exc:
        failure = engine_error(exc)
        if failure is None:
            raise
        fail_job(job.pk, failure)
        return Publication("failed", reason=failure.code)
    return record_segment(job=job, result=result, outputs=outputs)


def record_segment(
    *, job: RenderJob, result: SegmentResult, outputs: Sequence[SegmentOutput] = (hls_output,)
) -> Publication:
    """Store a rendered segment, then publish it (row + ledger event) in one transaction serialised against the
    revocation of its consent grant; then hand it to the outputs. Not published: nothing but an orphan file."""
    record = result.record
    stored = store_file(f"{job.stream_id}/{record.uri}", result.data)
    try:
        with transaction.atomic():
            locked = RenderJob.objects.select_for_update().get(pk=job.pk)
            if locked.status != RenderJob.Status.RUNNING:
                return Publication("stopped", reason=locked.status)
            # The same row lock revoke_consent takes: whichever commits first, the other sees its outcome.
            grant = (
                ConsentGrant.objects.select_for_update().filter(pk=locked.grant_id).first()
                if locked.grant_id is not None
                else None
            )
            now = timezone.now()
            reason = _unusable(grant, now)
            if reason:
                # The brand hears the gate's one neutral answer; the detail goes to the influencer's ledger.
                record_use_refused(
                    influencer_id=job.avatar.influencer_id,
                    brand=job.brand,
                    reason=reason,
                    purpose=job.purpose,
                    platform=job.platform,
                    modalities=job.avatar.modalities,
                    use="render_segment",
                )
                end_job(
                    locked,
                    status=RenderJob.Status.CANCELLED,
                    code=BRAND_REFUSAL_CODE,
                    message=f"{BRAND_REFUSAL_MESSAGE} Segment {record.sequence} was not published.",
                    actor="system",
                )
                transaction.on_commit(lambda: rewrite_playlists(locked, ended=True))
                return Publication("stopped", reason=BRAND_REFUSAL_CODE)
            segment = create_segment_row(job=job, record=record, stored=stored, grant=grant)
            event = record_event(
                kind="segment.published",
                subject=job.subject,
                payload={
                    "job": str(job.public_id),
                    **record.ledger_payload(),
                    "storage_name": stored,
                    "init_manifest_id": job.init_manifest_id,
                },
                actor="system",
                organisation=job.brand,
            )
            Segment.objects.filter(pk=segment.pk).update(ledger_event_id=event.pk)
            segment.ledger_event_id = event.pk
    except IntegrityError:
        logger.warning("Segment %s of %s was already published; stopping this copy.", record.sequence, job.stream_id)
        return Publication("stopped", reason="already_published")
    for output in outputs:
        output(job, segment, record, result.data)
    return Publication("published", segment=segment, record=record)
