"""Consent pages (server-rendered, framed by portal/base.html). All writes go through the JSON API from
consent/static/consent/*.js (passkeys and MediaRecorder need JavaScript); these views only read, except that an
influencer's lapsed drafts are expired (a ledgered service call) before her grants are shown."""

from __future__ import annotations

import json
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import User
from accounts.selectors import get_influencer_profile, get_visible_organisation, list_verified_brands
from consent import sample_uploads, selectors, services
from consent.models import ConsentGrant, ConsentTemplate
from consent.passkey_host import passkey_host_advice
from consent.receipts import verify_receipt
from consent.review_notice import review_reasons
from consent.sample_refusals import SAMPLE_REFUSALS
from consent.scope import PLATFORMS, PURPOSES
from consent.summary import join_words
from consent.texts import MODALITIES


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _uuid_or_none(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


def _expire_own_drafts(user: User) -> None:
    profile = get_influencer_profile(user)
    if profile is not None:
        services.expire_drafts(influencer=profile)


@login_required
def my_consents(request: HttpRequest) -> HttpResponse:
    _expire_own_drafts(_user(request))
    grants = selectors.list_grants_for_influencer(_user(request))
    profile = get_influencer_profile(_user(request))
    context = {
        "grants": grants,
        # The gate's detailed reasons, for her eyes only (brands were told no_consent_for_you).
        "refusals": selectors.list_use_refusals(influencer=profile, limit=20) if profile is not None else [],
        # Her impact assessment (PIPL Arts. 55-56, written by platform staff) is read on its own page.
        "profile": profile,
        "active_nav": "influencer",
    }
    return render(request, "consent/my_consents.html", context)


@login_required
def grant_wizard(request: HttpRequest) -> HttpResponse:
    if not selectors.is_influencer(_user(request)):
        raise PermissionDenied
    templates = selectors.list_templates(user=_user(request)).filter(status=ConsentTemplate.Status.PUBLISHED)
    # ?draft=<id> continues her unsigned draft at the step it stopped (statement or signature); a lapsed,
    # discarded or signed grant, or someone else's, just opens a new wizard.
    _expire_own_drafts(_user(request))
    draft = None
    draft_id = _uuid_or_none(request.GET.get("draft", ""))
    if draft_id is not None:
        draft = (
            selectors.list_grants_for_influencer(_user(request))
            .filter(public_id=draft_id, status__in=ConsentGrant.DRAFT_STATUSES)
            .first()
        )
    context = {
        "draft": draft,
        "draft_expires_at": draft.created_at + services.DRAFT_TTL if draft is not None else None,
        "has_sample": selectors.list_samples_for(_user(request)).exists(),
        "templates": templates,
        # Only verified brands, shown with their legal entity: a display name alone could be anyone's.
        "brands": list_verified_brands(),
        "modalities": MODALITIES,
        "purposes": PURPOSES,
        "platforms": PLATFORMS,
        "has_passkey": bool(selectors.passkey_ids_for(_user(request))),
        "passkey_host": passkey_host_advice(request),
        "active_nav": "influencer",
    }
    return render(request, "consent/wizard.html", context)


@login_required
def training_sample(request: HttpRequest) -> HttpResponse:
    """Upload (drag and drop, resumable) or record her training sample; the writes go through the chunked API."""
    if not selectors.is_influencer(_user(request)):
        raise PermissionDenied
    samples = list(selectors.list_samples_for(_user(request))[:5])
    context = {
        "current": samples[0] if samples else None,
        "earlier": samples[1:],
        "refusals": SAMPLE_REFUSALS,
        "chunk_bytes": sample_uploads.CHUNK_MAX_BYTES,
        "max_bytes": sample_uploads.upload_max_bytes(),
        "active_nav": "influencer",
    }
    return render(request, "consent/sample.html", context)


@login_required
def grant_detail(request: HttpRequest, grant_id: str) -> HttpResponse:
    _expire_own_drafts(_user(request))
    grant = selectors.get_visible_grant(_user(request), grant_id)
    context = {
        "grant": grant,
        # Pages are titled by who the consent is for, not by its UUID.
        "brand_names": join_words([str(b.get("name", "")) for b in grant.scope.get("brands", [])]),
        "is_draft": grant.status in ConsentGrant.DRAFT_STATUSES,
        "draft_expires_at": grant.created_at + services.DRAFT_TTL,
        "review_reasons": review_reasons(grant),
        "passkey_host": passkey_host_advice(request),
        "active_nav": "influencer",
    }
    return render(request, "consent/grant_detail.html", context)


@login_required
def receipt(request: HttpRequest, grant_id: str) -> HttpResponse:
    grant = selectors.get_visible_grant(_user(request), grant_id)
    document = selectors.build_receipt(grant)
    context = {
        "grant": grant,
        "receipt": document,
        "receipt_json": json.dumps(document, indent=2, ensure_ascii=False, default=str),
        "problems": verify_receipt(json.loads(json.dumps(document, default=str))),
        "active_nav": "influencer",
    }
    return render(request, "consent/receipt.html", context)


@login_required
def brand_consents(request: HttpRequest, organisation_id: str) -> HttpResponse:
    organisation = get_visible_organisation(_user(request), organisation_id)
    grants = selectors.list_grants_for_brand(organisation)
    return render(
        request, "consent/brand_consents.html", {"organisation": organisation, "grants": grants, "active_nav": "brands"}
    )
