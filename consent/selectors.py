"""Read side of consent: who sees which grant, the review queue, published texts, and receipts.

Visibility: an influencer sees their own grants; a brand's members see the grants naming that brand once signed
(never drafts); staff see everything. Everyone else gets a 404, whether the grant exists or not.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import InfluencerProfile, Organisation, User
from accounts.selectors import get_influencer_profile
from consent.models import ConsentGrant, ConsentTemplate, StatementChallenge, VaultObject, WebAuthnCredential
from consent.receipts import RECEIPT_TYPE, RECIPE

BRAND_VISIBLE_STATUSES = (
    ConsentGrant.Status.PENDING_REVIEW,
    ConsentGrant.Status.ACTIVE,
    ConsentGrant.Status.REVOKED,
    ConsentGrant.Status.EXPIRED,
)


def _valid_uuid(value: UUID | str) -> str:
    try:
        return str(UUID(str(value)))
    except ValueError:
        raise Http404("No such consent grant.") from None


def list_grants_for_influencer(user: User) -> QuerySet[ConsentGrant]:
    return (
        ConsentGrant.objects.filter(influencer__user=user)
        .select_related("template", "influencer")
        .prefetch_related("brands")
    )


def get_grant_for_influencer(user: User, public_id: UUID | str) -> ConsentGrant:
    grant = list_grants_for_influencer(user).filter(public_id=_valid_uuid(public_id)).first()
    if grant is None:
        raise Http404("No such consent grant.")
    return grant


def list_grants_for_brand(organisation: Organisation) -> QuerySet[ConsentGrant]:
    return (
        # Signed only: a draft revoked before signing is `revoked` too, but was never a consent the brand held.
        ConsentGrant.objects.filter(brands=organisation, status__in=BRAND_VISIBLE_STATUSES, signed_at__isnull=False)
        .select_related("influencer", "template")
        .order_by("-created_at", "-pk")
    )


def get_grant_for_staff(user: User, public_id: UUID | str) -> ConsentGrant:
    if not user.is_staff:
        raise Http404("No such consent grant.")
    grant = (
        ConsentGrant.objects.select_related("influencer", "template").filter(public_id=_valid_uuid(public_id)).first()
    )
    if grant is None:
        raise Http404("No such consent grant.")
    return grant


def get_visible_grant(user: User, public_id: UUID | str) -> ConsentGrant:
    """A grant for its influencer or staff (receipts, details)."""
    if user.is_staff:
        return get_grant_for_staff(user, public_id)
    return get_grant_for_influencer(user, public_id)


def list_review_queue() -> QuerySet[ConsentGrant]:
    return (
        ConsentGrant.objects.filter(status=ConsentGrant.Status.PENDING_REVIEW)
        .select_related("influencer", "template")
        .prefetch_related("brands")
        .order_by("signed_at", "pk")
    )


def list_templates(*, user: User, language: str | None = None) -> QuerySet[ConsentTemplate]:
    """Published texts for everyone; drafts and retired versions too for staff."""
    templates = ConsentTemplate.objects.all()
    if not user.is_staff:
        templates = templates.filter(status=ConsentTemplate.Status.PUBLISHED)
    if language:
        templates = templates.filter(language=language)
    return templates.order_by("family", "language", "-version")


def get_template(user: User, public_id: UUID | str) -> ConsentTemplate:
    template = list_templates(user=user).filter(public_id=_valid_uuid(public_id)).first()
    if template is None:
        raise Http404("No such consent text.")
    return template


def passkey_ids_for(user: User) -> list[bytes]:
    return [bytes(c) for c in WebAuthnCredential.objects.filter(user=user).values_list("credential_id", flat=True)]


def is_influencer(user: User) -> bool:
    return get_influencer_profile(user) is not None


def statement_sentence(grant: ConsentGrant, code: str) -> str:
    """What the influencer reads aloud in the statement video, in the template's language."""
    brands = ", ".join(b["name"] for b in grant.scope.get("brands", []))
    if grant.template.language == ConsentTemplate.Language.ZH_CN:
        return f"我本人同意 Veracast 按照我选择的范围，为 {brands} 使用我的数字人形象。我的验证码是 {' '.join(code)}。"
    return (
        f"I consent to Veracast using my digital likeness for {brands} within the scope I chose. "
        f"My code is {' '.join(code)}."
    )


def statement_actions(challenge: StatementChallenge) -> list[dict[str, Any]]:
    """The challenge's liveness actions with the words the page shows for each (translated)."""
    from django.utils.translation import gettext

    from consent.texts import LIVENESS_PROMPTS

    return [
        {**action, "prompt": gettext(LIVENESS_PROMPTS.get(action["action"], action["action"]))}
        for action in challenge.actions
    ]


def build_receipt(grant: ConsentGrant) -> dict[str, Any]:
    """Everything needed to verify both signatures offline (see consent.receipts.verify_receipt)."""
    if not grant.countersignature:
        raise Http404("This consent has no receipt yet: it is not signed.")
    return {
        "type": RECEIPT_TYPE,
        "grant": str(grant.public_id),
        "influencer": str(grant.influencer.public_id),
        "status": grant.status,
        "valid_from": grant.scope.get("valid_from"),
        "valid_until": grant.scope.get("valid_until"),
        "revoked_at": grant.revoked_at.isoformat() if grant.revoked_at else None,
        "scope": json.loads(grant.scope_canonical),
        "scope_canonical": grant.scope_canonical,
        "scope_sha256": grant.scope_sha256,
        "template": {
            "id": str(grant.template.public_id),
            "family": grant.template.family,
            "language": grant.template.language,
            "version": grant.template.version,
            "sha256": grant.template_sha256,
        },
        "identity_checks": {
            "face": {"score": grant.face_score, "decision": grant.face_decision},
            "voice": {"score": grant.voice_score, "decision": grant.voice_decision},
            "statement_sha256": grant.statement.plaintext_sha256 if grant.statement else None,
        },
        "influencer_signature": grant.signature,
        "platform_countersignature": {
            "algorithm": "Ed25519",
            "key_id": grant.countersignature_key_id,
            "public_key": grant.countersignature_public_key,
            "signed_document": grant.countersigned_document,
            "signature": grant.countersignature,
        },
        "verification": RECIPE,
    }


def list_use_refusals(
    *, influencer: InfluencerProfile, brand: Organisation | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """The gate's detailed refusals of brands' uses of this influencer (`consent.use_refused`), newest first, for
    her own page and for staff. Brands never get this: they are told `no_consent_for_you` only."""
    from audit.models import LedgerEvent
    from consent.gate import describe

    events = LedgerEvent.objects.filter(
        subject=f"influencer:{influencer.public_id}", kind="consent.use_refused"
    ).order_by("-seq")
    if brand is not None:  # narrowed in SQL; the payload check below is the exact one
        events = events.filter(payload__contains=str(brand.public_id))
    rows: list[dict[str, Any]] = []
    names: dict[str, str] = {}
    for event in events.iterator():
        payload = event.payload_data
        if brand is not None and payload.get("brand") != str(brand.public_id):
            continue
        brand_id = str(payload.get("brand", ""))
        if brand_id not in names:
            names[brand_id] = (
                Organisation.objects.filter(public_id=brand_id).values_list("name", flat=True).first() or brand_id
            )
        reason = str(payload.get("reason", ""))
        rows.append(
            {
                "at": event.recorded_at,
                "brand": names[brand_id],
                "reason": reason,
                "message": describe(reason),
                "use": payload.get("use", ""),
                "purpose": payload.get("purpose", ""),
                "platform": payload.get("platform", ""),
            }
        )
        if len(rows) >= limit:
            break
    return rows


def list_samples_for(user: User) -> QuerySet[VaultObject]:
    """Her training samples still readable (data key not shredded), newest first: the newest is the one a new
    statement is compared with."""
    return VaultObject.objects.filter(
        influencer__user=user, kind=VaultObject.Kind.SAMPLE, data_key__status="active"
    ).order_by("-created_at", "-pk")
