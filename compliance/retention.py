"""Retention classes (rules.md §14) and the purge of stored recordings past their class.

What the purge deletes: the stored files of a finished render job (init segment, media segments, playlist) once
3 years have passed since the stream ended (3Y_FROM_END). What it never deletes: ledger events, segment rows with
their hashes, consent records and assessments (the records that prove what happened). A legal hold on the
organisation or on the stream, or consent's hold on the influencer, blocks the purge. Biometric data is not purged
here: consent crypto-shreds it on revocation or expiry (delete-on-withdrawal)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import record_event

_YEAR = timedelta(days=366)  # a year as a day count that is never short (leap years)


@dataclass(frozen=True)
class RetentionClass:
    code: str
    minimum: timedelta | None  # None: kept forever / until an event (see description)
    applies_to: str
    source: str
    status: str  # rules.md mark


RETENTION_CLASSES: dict[str, RetentionClass] = {
    rc.code: rc
    for rc in (
        RetentionClass(
            "60D", timedelta(days=60), "live content and logs (non-commerce)", "互联网直播服务管理规定 Art 16", "V"
        ),
        RetentionClass(
            "6M_MIN",
            timedelta(days=183),
            "network logs; logs of supplying unlabelled content",
            "CSL Art 21(3); 标识办法 Art 9",
            "S/V",
        ),
        RetentionClass(
            "3Y_FROM_END",
            3 * _YEAR,
            "recordings of live-commerce streams (from the stream's end)",
            "网络交易监督管理办法; 直播电商监督管理办法",
            "V/S",
        ),
        RetentionClass("3Y_TX", 3 * _YEAR, "goods and transaction information", "E-Commerce Law Art 31", "S"),
        RetentionClass("3Y_MIN", 3 * _YEAR, "PIA reports and processing records", "PIPL Art 56", "S"),
        RetentionClass(
            "TERM_PLUS",
            None,
            "signed consents and withdrawals: the term plus at least 3 years (internal policy)",
            "internal policy (no number in law)",
            "U",
        ),
        RetentionClass(
            "DELETE_ON_WITHDRAWAL", None, "raw biometrics, models, caches (hash tombstones kept)", "PIPL Art 47", "S"
        ),
        RetentionClass("FOREVER", None, "the ledger and its checkpoints (the proof of what happened)", "platform", "—"),
    )
}

# What each stored artifact is kept under (docs/retention.md lists the same table).
ARTIFACT_CLASSES: dict[str, str] = {
    "recording": "3Y_FROM_END",
    "impact_assessment": "3Y_MIN",
    "consent_grant": "TERM_PLUS",
    "biometric_sample": "DELETE_ON_WITHDRAWAL",
    "ledger_event": "FOREVER",
}


def recording_retain_until(ended_at: datetime) -> datetime:
    minimum = RETENTION_CLASSES["3Y_FROM_END"].minimum
    assert minimum is not None
    return ended_at + minimum


@dataclass(frozen=True)
class PurgeResult:
    purged: list[str]  # stream ids
    held: list[str]  # past retention but under a legal hold


def _held(job: object) -> bool:
    from compliance.models import LegalHold
    from consent.models import LegalHold as InfluencerHold

    brand_id = job.brand_id  # type: ignore[attr-defined]
    stream_id = job.stream_id  # type: ignore[attr-defined]
    influencer_id = job.avatar.influencer_id  # type: ignore[attr-defined]
    return (
        LegalHold.objects.filter(organisation_id=brand_id, released_at__isnull=True)
        .filter(Q(stream_id="") | Q(stream_id=stream_id))
        .exists()
        or InfluencerHold.objects.filter(influencer_id=influencer_id, released_at__isnull=True).exists()
    )


def purge_expired_recordings(*, now: datetime | None = None) -> PurgeResult:
    """Delete the files of every finished stream whose 3Y_FROM_END date has passed, unless held; ledger each purge."""
    from compliance.models import PurgedRecording
    from render.models import RenderJob
    from render.publisher import segment_storage

    now = now or timezone.now()
    cutoff = now - (RETENTION_CLASSES["3Y_FROM_END"].minimum or timedelta(0))
    candidates = (
        RenderJob.objects.filter(finished_at__isnull=False, finished_at__lte=cutoff, purge__isnull=True)
        .select_related("avatar")
        .order_by("finished_at", "id")
    )
    storage = segment_storage()
    result = PurgeResult(purged=[], held=[])
    for job in candidates.iterator(chunk_size=100):
        if _held(job):
            result.held.append(job.stream_id)
            continue
        assert job.finished_at is not None
        names = [s for s in job.segments.values_list("storage_name", flat=True) if s]
        names += [n for n in (job.init_storage_name, job.playlist_storage_name) if n]
        with transaction.atomic():
            event = record_event(
                kind="compliance.recording_purged",
                subject=job.subject,
                payload={
                    "job": str(job.public_id),
                    "retention_class": "3Y_FROM_END",
                    "retain_until": recording_retain_until(job.finished_at).isoformat(),
                    "files": len(names),
                },
                actor="system",
                organisation=job.brand,
            )
            PurgedRecording.objects.create(
                job=job, retention_class="3Y_FROM_END", files=len(names), purged_at=now, ledger_event_id=event.pk
            )

            # Files go only once the purge is on record; a crash in between leaves files a later run cannot see
            # (the row exists), which errs on keeping, never on losing the record.
            def delete_files(names: list[str] = names) -> None:
                for name in names:
                    if storage.exists(name):
                        storage.delete(name)

            transaction.on_commit(delete_files)
        result.purged.append(job.stream_id)
    return result
