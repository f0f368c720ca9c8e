"""Auditor exports: the request (checked against audit.export_selectors, ledgered, then built by a task), the build,
and the time-limited download links. The bundle itself is written by audit.bundle; docs/audit-bundle.md describes
it. The reads (who may export what, which exports one sees) are in audit.export_selectors."""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from audit.bundle import BundleError, BundleScope, write_bundle
from audit.export_selectors import exportable_organisations, exports_everything, get_visible_export, may_export
from audit.keys import KeyUnavailableError, load_signing_key
from audit.models import AuditExport, LedgerEvent
from audit.services import create_checkpoint, record_event
from audit.verify import format_timestamp
from common.api import DomainError

if TYPE_CHECKING:
    from accounts.models import InfluencerProfile, Organisation, User

logger = logging.getLogger(__name__)

_SUBJECT_RE = re.compile(r"^[a-z][a-z0-9_.-]*:\S+$")
_DOWNLOAD_SALT = "audit.export.download"
# How long a download link works (seconds); the exports page and API hand out a fresh one on every read.
DEFAULT_LINK_TTL_SECONDS = 15 * 60


def link_ttl_seconds() -> int:
    return int(getattr(settings, "AUDIT_EXPORT_LINK_TTL_SECONDS", DEFAULT_LINK_TTL_SECONDS))


def exports_dir() -> Path:
    configured = getattr(settings, "AUDIT_EXPORTS_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "exports"


# ---------------------------------------------------------------------------------------------------------------------
# Requesting an export
# ---------------------------------------------------------------------------------------------------------------------


def _refuse(*, user: User, organisation: str, reason: str, message: str) -> DomainError:
    """Ledger the refusal (committed on its own: the refusal is the record) and return the error to raise."""
    with transaction.atomic():
        record_event(
            kind="audit.export_refused",
            subject=f"user:{user.public_id}",
            payload={"organisation": organisation[:100], "reason": reason},
            actor=user,
        )
    return DomainError(message, code=reason, status_code=403)


def _influencer(public_id: str | None) -> InfluencerProfile | None:
    from accounts.models import InfluencerProfile

    if not public_id:
        return None
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise DomainError(
            "The influencer must be given by its id (a UUID).", code="invalid_scope", status_code=400
        ) from None
    profile = InfluencerProfile.objects.filter(public_id=key).first()
    if profile is None:
        raise DomainError("No such influencer.", code="invalid_scope", status_code=400)
    return profile


def request_export(
    *,
    user: User,
    organisation: str,
    subject: str = "",
    influencer: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    include_media: bool = False,
) -> AuditExport:
    """Queue a bundle of `organisation` (its slug) for `user`, narrowed by subject, influencer and time range.

    Refused (403, and ledgered as audit.export_refused) unless the user is an auditor of that organisation, staff or
    a platform auditor; an unknown organisation is refused the same way, so that the answer reveals nothing.
    """
    from accounts.models import Organisation

    target = exportable_organisations(user).filter(slug=organisation).first()
    if target is None:
        if not may_export(user):
            raise _refuse(
                user=user,
                organisation=organisation,
                reason="not_an_auditor",
                message="Only auditors and platform staff may export the ledger.",
            )
        if exports_everything(user) and not Organisation.objects.filter(slug=organisation).exists():
            raise DomainError(f"There is no organisation {organisation!r}.", code="invalid_scope", status_code=400)
        raise _refuse(
            user=user,
            organisation=organisation,
            reason="organisation_out_of_scope",
            message=f"You are not an auditor of {organisation!r}, so you may not export its records.",
        )
    subject = (subject or "").strip()
    if subject and (len(subject) > 200 or not _SUBJECT_RE.match(subject)):
        raise DomainError(
            "The subject must look like 'render_job:<id>' (a ledger chain).", code="invalid_scope", status_code=400
        )
    if subject and not LedgerEvent.objects.filter(subject=subject, organisation=target).exists():
        raise DomainError(f"{target.name} has no ledger events under {subject}.", code="invalid_scope", status_code=400)
    profile = _influencer(influencer)
    if since is not None and until is not None and since >= until:
        raise DomainError(
            "The time range is empty: 'since' must come before 'until'.", code="invalid_scope", status_code=400
        )
    with transaction.atomic():
        export = AuditExport.objects.create(
            organisation=target,
            requested_by=user,
            subject=subject,
            influencer=profile,
            since=since,
            until=until,
            include_media=include_media,
        )
        _record_requested(export, actor=user)
        from audit.tasks import build_audit_export_task

        # After the commit, so that the task never runs for a request that rolled back.
        transaction.on_commit(lambda: build_audit_export_task.delay(export.pk))
    return export


def _record_requested(export: AuditExport, *, actor: User | str) -> None:
    record_event(
        kind="audit.export_requested",
        subject=export.ledger_subject,
        payload={
            "export": str(export.public_id),
            "organisation": str(export.organisation.public_id),
            "subject": export.subject or None,
            "influencer": str(export.influencer.public_id) if export.influencer else None,
            "since": format_timestamp(export.since) if export.since else None,
            "until": format_timestamp(export.until) if export.until else None,
            "include_media": export.include_media,
            "requested_by": str(export.requested_by.public_id) if export.requested_by else None,
        },
        actor=actor,
        organisation=export.organisation,
    )


def create_command_line_export(
    *,
    organisation: Organisation,
    subject: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
    include_media: bool = False,
) -> AuditExport:
    """An export asked for on the server's command line (`manage.py export_bundle`): ledgered like any other."""
    with transaction.atomic():
        export = AuditExport.objects.create(
            organisation=organisation, subject=subject, since=since, until=until, include_media=include_media
        )
        _record_requested(export, actor="cli:export_bundle")
    return export


# ---------------------------------------------------------------------------------------------------------------------
# Building it
# ---------------------------------------------------------------------------------------------------------------------


def scope_of(export: AuditExport) -> BundleScope:
    from consent.models import ConsentGrant
    from render.models import Avatar, RenderJob

    organisation = export.organisation
    description: dict[str, Any] = {
        "export": str(export.public_id),
        "organisation": {"id": str(organisation.public_id), "slug": organisation.slug, "name": organisation.name},
        "subject": export.subject or None,
        "influencer": str(export.influencer.public_id) if export.influencer else None,
        "since": format_timestamp(export.since) if export.since else None,
        "until": format_timestamp(export.until) if export.until else None,
        "include_media": export.include_media,
        "requested_by": str(export.requested_by.public_id) if export.requested_by else None,
    }
    whole = BundleScope(
        organisation_id=organisation.pk,
        description=description,
        since=export.since,
        until=export.until,
        include_media=export.include_media,
    )
    if export.subject:
        kind, _, key = export.subject.partition(":")
        public_id = _uuid_or_none(key)
        job_ids: tuple[int, ...] = ()
        grant_ids: tuple[int, ...] = ()
        if kind == "render_job" and public_id is not None:
            job_ids = tuple(
                RenderJob.objects.filter(brand=organisation, public_id=public_id).values_list("pk", flat=True)
            )
        if kind == "consent" and public_id is not None:
            grant_ids = tuple(ConsentGrant.objects.filter(public_id=public_id).values_list("pk", flat=True))
        return replace(whole, subjects=(export.subject,), render_job_ids=job_ids, grant_ids=grant_ids)
    if export.influencer is not None:
        avatars = Avatar.objects.filter(brand=organisation, influencer=export.influencer)
        jobs = RenderJob.objects.filter(avatar__in=avatars)
        grants = ConsentGrant.objects.filter(influencer=export.influencer, brands=organisation)
        subjects = [a.subject for a in avatars.only("public_id")]
        subjects += [j.subject for j in jobs.only("public_id")]
        subjects += [f"consent:{g.public_id}" for g in grants.only("public_id")]
        return replace(
            whole,
            subjects=tuple(subjects),
            render_job_ids=tuple(jobs.values_list("pk", flat=True)),
            grant_ids=tuple(grants.values_list("pk", flat=True)),
        )
    return whole


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def build_export(*, export_id: int, out: Path | None = None) -> AuditExport:
    """Build the bundle of one export (idempotent: a finished export is left alone), reporting progress 0..1.

    A checkpoint is signed first, so that every event up to now (the export's own request included) has an
    inclusion proof. Failures are ledgered (audit.export_failed) and kept on the row with their reason.
    """
    export = AuditExport.objects.select_related("organisation", "requested_by", "influencer").get(pk=export_id)
    if export.status == AuditExport.Status.DONE:
        return export
    AuditExport.objects.filter(pk=export.pk).update(status=AuditExport.Status.RUNNING, started_at=timezone.now())
    path = out or exports_dir() / f"{export.public_id}.zip"

    def progress(fraction: float) -> None:
        AuditExport.objects.filter(pk=export.pk).update(progress=round(fraction, 3))

    try:
        create_checkpoint()
        result = write_bundle(
            path=path,
            scope=scope_of(export),
            signing_key=load_signing_key(),
            created_at=timezone.now(),
            progress=progress,
        )
    except (BundleError, KeyUnavailableError, OSError) as exc:
        _fail(export, str(exc))
        return AuditExport.objects.get(pk=export.pk)
    except Exception:
        # Stored in English, translated where the exports page shows it (`{% translate export.error_message %}`).
        _fail(
            export, gettext_noop("The bundle could not be built because of an internal error; the operators were told.")
        )
        raise
    with transaction.atomic():
        AuditExport.objects.filter(pk=export.pk).update(
            status=AuditExport.Status.DONE,
            progress=1.0,
            file_name=str(path),
            sha256=result.sha256,
            size=result.size,
            event_count=result.events,
            finished_at=timezone.now(),
        )
        record_event(
            kind="audit.export_completed",
            subject=export.ledger_subject,
            payload={
                "export": str(export.public_id),
                "sha256": result.sha256,
                "bytes": result.size,
                "events": result.events,
                "checkpoints": result.checkpoints,
                "key_id": result.key_id,
            },
            actor="worker:audit",
            organisation=export.organisation,
        )
    return AuditExport.objects.get(pk=export.pk)


def _fail(export: AuditExport, reason: str) -> None:
    logger.warning("Export %s failed: %s", export.public_id, reason)
    with transaction.atomic():
        AuditExport.objects.filter(pk=export.pk).update(
            status=AuditExport.Status.FAILED, error_message=reason, finished_at=timezone.now()
        )
        record_event(
            kind="audit.export_failed",
            subject=export.ledger_subject,
            payload={"export": str(export.public_id), "reason": reason[:500]},
            actor="worker:audit",
            organisation=export.organisation,
        )


# ---------------------------------------------------------------------------------------------------------------------
# Download links
# ---------------------------------------------------------------------------------------------------------------------


def download_token(*, export: AuditExport, user: User) -> str:
    """A signed, time-limited token for one export and one user (the link works only for the user it was made for)."""
    return signing.TimestampSigner(salt=_DOWNLOAD_SALT).sign(f"{export.public_id}:{user.pk}")


def export_for_download(*, user: User, public_id: str, token: str) -> AuditExport:
    """The finished export a download link names; 410 once the link has expired, 403 for a link not made for this
    user or this export."""
    try:
        value = signing.TimestampSigner(salt=_DOWNLOAD_SALT).unsign(token, max_age=link_ttl_seconds())
    except signing.SignatureExpired:
        raise DomainError(
            "This download link has expired; open the exports page again for a fresh link.",
            code="link_expired",
            status_code=410,
        ) from None
    except signing.BadSignature:
        raise DomainError("This download link is not valid.", code="invalid_link", status_code=403) from None
    if value != f"{public_id}:{user.pk}":
        raise DomainError(
            "This download link was made for another export or user.", code="invalid_link", status_code=403
        )
    export = get_visible_export(user, public_id)
    if export.status != AuditExport.Status.DONE or not export.file_name:
        raise DomainError("This export is not ready yet.", code="not_ready", status_code=409)
    if not Path(export.file_name).is_file():
        raise DomainError("This bundle is no longer stored; ask for a new export.", code="bundle_gone", status_code=410)
    return export
