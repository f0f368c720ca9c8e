"""Per-influencer impact assessments (PIPL Arts. 55-56, rules.md CN-PIPL-PIA-3Y): written and approved by platform
staff — the platform builds the likeness and the voice, so it is the one processing her biometric data and the one
that assesses it — read by the influencer on her own page. The consent gate (consent.gate) asks `covering_assessment`
before every avatar build and every segment.

Each save is a new draft (never edited in place) whose canonical document (`assessment_document`, downloadable) is
hashed; saving and approving are ledgered under the influencer's subject, the approval with its 3Y_MIN `retain_until`.
Approving bumps the influencer's consent version stamp so that every process's gate cache decides again."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import InfluencerProfile, User
from audit.services import record_event
from common.api import DomainError
from compliance.models import ImpactAssessment
from compliance.retention import RETENTION_CLASSES

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

TEXT_FIELDS = ("purposes", "data_categories", "necessity", "impact", "measures")
MAX_FIELD = 5000
DOCUMENT_FORMAT = "veracast-impact-assessment/1"


def _purposes() -> tuple[str, ...]:
    from consent.scope import PURPOSES

    return PURPOSES


def _modalities() -> tuple[str, ...]:
    from consent.texts import MODALITIES

    return MODALITIES


# Reads ---------------------------------------------------------------------------------------------------------------


def may_assess(user: User | AnonymousUser) -> bool:
    """Platform staff write and approve assessments (the platform's data-protection role)."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def may_read(user: User | AnonymousUser, influencer: InfluencerProfile) -> bool:
    """Staff, platform auditors and the influencer herself."""
    if not user.is_authenticated or not user.is_active:
        return False
    from accounts.selectors import has_platform_read

    return has_platform_read(user) or influencer.user_id == user.pk


def assessments_for(influencer: InfluencerProfile) -> QuerySet[ImpactAssessment]:
    return ImpactAssessment.objects.filter(influencer=influencer).select_related("created_by", "approved_by")


def covering_assessment(
    *, influencer_id: int, purpose: str, modalities: Iterable[str], at: datetime
) -> ImpactAssessment | None:
    """The latest assessment of the influencer approved by `at` whose purposes and modalities cover the use."""
    wanted = set(modalities)
    approved = ImpactAssessment.objects.filter(
        influencer_id=influencer_id, status=ImpactAssessment.Status.APPROVED, approved_at__lte=at
    ).order_by("-approved_at", "-id")
    for assessment in approved:
        if purpose in assessment.purpose_codes and wanted <= set(assessment.modalities):
            return assessment
    return None


def assessment_document(assessment: ImpactAssessment) -> bytes:
    """The canonical document whose SHA-256 is `assessment.sha256` (what was assessed, not who approved it)."""
    return _document(
        influencer_public_id=str(assessment.influencer.public_id) if assessment.influencer else "",
        values={name: getattr(assessment, name) for name in (*TEXT_FIELDS, "purpose_codes", "modalities")},
    )


def _document(*, influencer_public_id: str, values: dict[str, Any]) -> bytes:
    body = {"format": DOCUMENT_FORMAT, "influencer": influencer_public_id}
    body.update({name: values[name] for name in (*TEXT_FIELDS, "purpose_codes", "modalities")})
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


# Workflows -----------------------------------------------------------------------------------------------------------


def _require_staff(actor: User) -> None:
    if not may_assess(actor):
        raise DomainError(
            _("Only platform staff write and approve impact assessments."), code="staff_required", status_code=403
        )


def _choices(values: Any, allowed: tuple[str, ...], *, field: str) -> list[str]:
    if isinstance(values, str):
        values = [values]
    chosen = [str(v) for v in (values or [])]
    if not chosen:
        raise DomainError(_("Choose at least one purpose and one modality."), code=f"{field}_required", status_code=400)
    unknown = [v for v in chosen if v not in allowed]
    if unknown:
        raise DomainError(
            _("Unknown value %(value)s; choose from %(allowed)s.")
            % {"value": unknown[0], "allowed": ", ".join(allowed)},
            code=f"{field}_unknown",
            status_code=400,
        )
    return sorted(set(chosen))


def save_influencer_assessment(
    *, influencer: InfluencerProfile, actor: User, values: dict[str, Any]
) -> ImpactAssessment:
    """A new draft for the influencer (earlier drafts and approvals stay on file)."""
    _require_staff(actor)
    cleaned: dict[str, Any] = {
        "purpose_codes": _choices(values.get("purpose_codes"), _purposes(), field="purpose_codes"),
        "modalities": _choices(values.get("modalities"), _modalities(), field="modalities"),
    }
    for name in TEXT_FIELDS:
        text = str(values.get(name) or "").strip()
        if not text:
            raise DomainError(_("Fill in every part of the assessment."), code=f"{name}_required", status_code=400)
        if len(text) > MAX_FIELD:
            raise DomainError(
                _("A part of the assessment is longer than 5000 characters."),
                code=f"{name}_too_long",
                status_code=400,
            )
        cleaned[name] = text
    digest = hashlib.sha256(_document(influencer_public_id=str(influencer.public_id), values=cleaned)).hexdigest()
    with transaction.atomic():
        assessment = ImpactAssessment.objects.create(influencer=influencer, created_by=actor, sha256=digest, **cleaned)
        record_event(
            kind="compliance.influencer_pia_saved",
            subject=f"influencer:{influencer.public_id}",
            payload={
                "assessment": str(assessment.public_id),
                "sha256": digest,
                "purposes": cleaned["purpose_codes"],
                "modalities": cleaned["modalities"],
            },
            actor=actor,
        )
    return assessment


def approve_influencer_assessment(*, assessment: ImpactAssessment, actor: User) -> ImpactAssessment:
    _require_staff(actor)
    from consent import broadcast

    influencer = assessment.influencer
    if influencer is None:
        raise DomainError(
            _("An organisation-level assessment of the first design cannot be approved any more."),
            code="legacy_assessment",
            status_code=409,
        )
    with transaction.atomic():
        locked = ImpactAssessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.status == ImpactAssessment.Status.APPROVED:
            raise DomainError(_("This assessment is already approved."), code="already_approved", status_code=409)
        now = timezone.now()
        locked.status = ImpactAssessment.Status.APPROVED
        locked.approved_by = actor
        locked.approved_at = now
        locked.retain_until = now + (RETENTION_CLASSES["3Y_MIN"].minimum or timedelta(0))
        locked.save(update_fields=["status", "approved_by", "approved_at", "retain_until"])
        record_event(
            kind="compliance.influencer_pia_approved",
            subject=f"influencer:{influencer.public_id}",
            payload={
                "assessment": str(locked.public_id),
                "sha256": locked.sha256,
                "purposes": locked.purpose_codes,
                "modalities": locked.modalities,
                "retain_until": locked.retain_until.isoformat(),
            },
            actor=actor,
        )
        # The gate caches decisions per influencer under this stamp: a new approval must be seen at the next check.
        broadcast.bump_version(influencer.pk)
    return locked
