"""Reads: who may see an organisation's compliance (dashboard, reports), the assessments and holds on file."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from accounts.models import InfluencerProfile, Organisation
from accounts.selectors import has_platform_read, roles_for
from common.api import DomainError
from compliance.models import ImpactAssessment, LegalHold

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

# Brand owners and reviewers answer for the brand's compliance; auditors review it. Staff and platform auditors see all.
READ_ROLES = frozenset({"owner", "reviewer", "auditor"})


def may_read_compliance(user: User | AnonymousUser, organisation: Organisation) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return has_platform_read(user) or bool(roles_for(user, organisation) & READ_ROLES)


def readable_organisations(user: User | AnonymousUser) -> list[Organisation]:
    if not user.is_authenticated or not user.is_active:
        return []
    if has_platform_read(user):
        return list(Organisation.objects.order_by("name"))
    return list(
        Organisation.objects.filter(memberships__user_id=user.pk, memberships__role__in=READ_ROLES)
        .distinct()
        .order_by("name")
    )


def get_readable_organisation(user: User | AnonymousUser, slug: str) -> Organisation:
    """The organisation if the user may read its compliance; otherwise 404 (others' organisations are not confirmed)."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None or not may_read_compliance(user, organisation):
        raise DomainError("No such organisation.", code="not_found", status_code=404)
    return organisation


def legacy_assessments_of(organisation: Organisation) -> QuerySet[ImpactAssessment]:
    """The organisation-level assessments of the first design (kept as records; they open no gate)."""
    return ImpactAssessment.objects.filter(organisation=organisation, influencer__isnull=True).select_related(
        "created_by", "approved_by"
    )


def influencer_assessments_of(organisation: Organisation) -> list[dict[str, Any]]:
    """Each influencer whose consent names the brand or of whom it has an avatar, with her latest approved
    assessment (None: the gate refuses every biometric use of her)."""
    from consent.models import ConsentGrant
    from render.models import Avatar

    ids = set(Avatar.objects.filter(brand=organisation).values_list("influencer_id", flat=True))
    ids |= set(ConsentGrant.objects.filter(brands=organisation).values_list("influencer_id", flat=True))
    approved: dict[int, ImpactAssessment] = {}
    for row in ImpactAssessment.objects.filter(influencer_id__in=ids, status=ImpactAssessment.Status.APPROVED).order_by(
        "approved_at", "id"
    ):
        approved[int(row.influencer_id or 0)] = row  # the latest wins
    return [
        {"influencer": influencer, "assessment": approved.get(influencer.pk)}
        for influencer in InfluencerProfile.objects.filter(pk__in=ids).order_by("stage_name")
    ]


def active_holds(organisation: Organisation | None = None) -> QuerySet[LegalHold]:
    holds = LegalHold.objects.filter(released_at__isnull=True).select_related("organisation", "created_by")
    return holds.filter(organisation=organisation) if organisation is not None else holds


def all_holds() -> QuerySet[LegalHold]:
    return LegalHold.objects.select_related("organisation", "created_by", "released_by")


def artifact_checks_by_stream(organisation: Organisation, stream_ids: list[str]) -> dict[str, dict[str, Any]]:
    """stream id -> {"latest": the newest finished ArtifactCheck or None, "pending": a queued/running one or None}."""
    from compliance.models import ArtifactCheck

    out: dict[str, dict[str, Any]] = {sid: {"latest": None, "pending": None} for sid in stream_ids}
    checks = ArtifactCheck.objects.filter(organisation=organisation, job__stream_id__in=stream_ids).select_related(
        "job"
    )
    for check in checks.order_by("created_at", "id"):
        slot = out[check.job.stream_id]
        if check.status == ArtifactCheck.Status.DONE:
            slot["latest"] = check
        elif check.status in (ArtifactCheck.Status.QUEUED, ArtifactCheck.Status.RUNNING):
            slot["pending"] = check
    return out


def get_artifact_check(user: User | AnonymousUser, organisation: Organisation, public_id: Any) -> Any:
    from compliance.models import ArtifactCheck

    check = ArtifactCheck.objects.filter(organisation=organisation, public_id=public_id).first()
    if check is None or not may_read_compliance(user, organisation):
        raise DomainError("No such check.", code="not_found", status_code=404)
    return check
