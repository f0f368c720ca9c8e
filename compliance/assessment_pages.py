"""Impact-assessment pages (PIPL Arts. 55-56, per influencer): staff's list of influencers with their assessment's
state, and one influencer's page — staff write a new assessment and approve it there; the influencer reads hers (and
downloads the document whose hash is on file). Anyone else: 404."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import InfluencerProfile, User
from common.api import DomainError
from compliance import assessments
from compliance.models import ImpactAssessment
from compliance.pages import _refusal


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _influencer(request: HttpRequest, public_id: uuid.UUID) -> InfluencerProfile:
    influencer = InfluencerProfile.objects.filter(public_id=public_id).first()
    if influencer is None or not assessments.may_read(request.user, influencer):
        raise DomainError(_("No such influencer."), code="not_found", status_code=404)
    return influencer


@login_required
def influencers_page(request: HttpRequest) -> HttpResponse:
    if not assessments.may_assess(request.user):
        return _refusal(
            request,
            DomainError(_("Impact assessments are written by platform staff."), code="staff_required", status_code=403),
        )
    approved = ImpactAssessment.objects.filter(influencer=OuterRef("pk"), status=ImpactAssessment.Status.APPROVED)
    rows = InfluencerProfile.objects.annotate(assessed=Exists(approved)).order_by("assessed", "stage_name")[:500]
    return render(request, "compliance/influencers.html", {"influencers": rows, "active_nav": "compliance"})


def _choices(values: list[str], allowed: tuple[str, ...]) -> list[dict[str, object]]:
    return [{"value": v, "checked": v in values} for v in allowed]


@login_required
def influencer_assessment_page(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    from consent.scope import PURPOSES
    from consent.texts import MODALITIES

    try:
        influencer = _influencer(request, public_id)
    except DomainError as exc:
        return _refusal(request, exc)
    error, status = "", 200
    values: dict[str, object] = {name: request.POST.get(name, "") for name in assessments.TEXT_FIELDS}
    values["purpose_codes"] = request.POST.getlist("purpose_codes")
    values["modalities"] = request.POST.getlist("modalities")
    if request.method == "POST":
        try:
            assessments.save_influencer_assessment(influencer=influencer, actor=_user(request), values=values)
        except DomainError as exc:
            error, status = str(exc.detail), int(exc.status_code)
        else:
            return redirect("compliance:influencer-assessment", public_id=public_id)
    context = {
        "influencer": influencer,
        "assessments": list(assessments.assessments_for(influencer)[:20]),
        "may_write": assessments.may_assess(request.user),
        "is_self": influencer.user_id == request.user.pk,
        "values": values,
        "purpose_choices": _choices(list(values["purpose_codes"]), PURPOSES),  # type: ignore[call-overload]
        "modality_choices": _choices(list(values["modalities"]), MODALITIES),  # type: ignore[call-overload]
        "error": error,
        "retention_years": 3,
        "active_nav": "compliance",
    }
    return render(request, "compliance/influencer_assessment.html", context, status=status)


def _assessment(request: HttpRequest, public_id: uuid.UUID, assessment_id: uuid.UUID) -> ImpactAssessment:
    influencer = _influencer(request, public_id)
    assessment = ImpactAssessment.objects.filter(influencer=influencer, public_id=assessment_id).first()
    if assessment is None:
        raise DomainError(_("No such assessment."), code="not_found", status_code=404)
    return assessment


@login_required
@require_POST
def approve_influencer_assessment(request: HttpRequest, public_id: uuid.UUID, assessment_id: uuid.UUID) -> HttpResponse:
    try:
        assessment = _assessment(request, public_id, assessment_id)
        assessments.approve_influencer_assessment(assessment=assessment, actor=_user(request))
    except DomainError as exc:
        return _refusal(request, exc)
    return redirect("compliance:influencer-assessment", public_id=public_id)


@login_required
def assessment_document(request: HttpRequest, public_id: uuid.UUID, assessment_id: uuid.UUID) -> HttpResponse:
    """The canonical document whose SHA-256 is on file and in the ledger: anyone may re-hash it."""
    try:
        assessment = _assessment(request, public_id, assessment_id)
    except DomainError as exc:
        return _refusal(request, exc)
    response = HttpResponse(assessments.assessment_document(assessment), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="impact-assessment-{assessment.public_id}.json"'
    return response
