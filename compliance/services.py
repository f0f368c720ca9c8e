"""Compliance workflows (impact assessments: compliance.assessments): legal holds (placed, released by staff) and the
record that a report was generated. Each writes its ledger event in the same transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from audit.services import record_event
from common.api import DomainError
from compliance.models import LegalHold


def _require_staff(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_staff):
        raise DomainError(
            "Only platform staff may place or release legal holds.", code="staff_required", status_code=403
        )


def place_legal_hold(*, organisation: Organisation, actor: User, reason: str, stream_id: str = "") -> LegalHold:
    _require_staff(actor)
    if not reason.strip():
        raise DomainError("A legal hold needs a written reason.", code="reason_required", status_code=400)
    stream_id = stream_id.strip()
    if stream_id:
        from render.models import RenderJob

        if not RenderJob.objects.filter(brand=organisation, stream_id=stream_id).exists():
            raise DomainError("That stream is not one of this organisation's.", code="unknown_stream", status_code=400)
    with transaction.atomic():
        hold = LegalHold.objects.create(
            organisation=organisation, stream_id=stream_id, reason=reason.strip(), created_by=actor
        )
        record_event(
            kind="compliance.legal_hold_placed",
            subject=f"organisation:{organisation.public_id}",
            payload={"hold": str(hold.public_id), "stream_id": stream_id, "reason": hold.reason},
            actor=actor,
            organisation=organisation,
        )
    return hold


def release_legal_hold(*, hold: LegalHold, actor: User) -> LegalHold:
    _require_staff(actor)
    with transaction.atomic():
        locked = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if locked.released_at is not None:
            raise DomainError("This hold is already released.", code="already_released", status_code=409)
        locked.released_at = timezone.now()
        locked.released_by = actor
        locked.save(update_fields=["released_at", "released_by"])
        record_event(
            kind="compliance.legal_hold_released",
            subject=f"organisation:{locked.organisation.public_id}",
            payload={"hold": str(locked.public_id), "stream_id": locked.stream_id},
            actor=actor,
            organisation=locked.organisation,
        )
    return locked


def record_report_generated(
    *, organisation: Organisation, actor: User | None, report: dict[str, Any], sha256: str
) -> None:
    record_event(
        kind="compliance.report_generated",
        subject=f"organisation:{organisation.public_id}",
        payload={
            "stream_id": report["stream_id"],
            "since": report["since"],
            "until": report["until"],
            "sha256": sha256,
            "failed": report["counts"]["fail"],
            "passed": report["counts"]["pass"],
        },
        actor=actor or "system",
        organisation=organisation,
    )


def parse_period(since: str | None, until: str | None) -> tuple[datetime | None, datetime | None]:
    """`YYYY-MM-DD` dates (UTC, until exclusive of the next day); a bad date is a 400 with a reason."""

    def day(value: str | None, name: str) -> datetime | None:
        if not value:
            return None
        try:
            parsed = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError:
            raise DomainError("Dates are written like 2026-01-31.", code=f"invalid_{name}", status_code=400) from None
        return parsed

    start, end = day(since, "since"), day(until, "until")
    if end is not None:
        end += timedelta(days=1)
    if start is not None and end is not None and start >= end:
        raise DomainError("The period ends before it starts.", code="invalid_period", status_code=400)
    return start, end
