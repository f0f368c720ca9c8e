"""The consent gate: may this avatar be used for this brand, purpose, platform and modalities at this moment?

`authorize_use` returns the grant that allows the use or raises `ConsentDenied` with a machine-readable reason.
The reason is for the influencer, staff and the ledger only: a brand is told `BRAND_REFUSAL` whatever the reason
(`ConsentDenied.brand_code` / `brand_message`), so that asking the gate cannot reveal whether the person consented
to someone else, is a minor, is unverified, revoked or let a consent expire.
A use that consent allows also needs the influencer's approved impact assessment covering its purpose and
modalities (PIPL Arts. 55-56, rules.md §13; compliance.assessments): otherwise the reason is `pia_required`.
Render calls it before building an avatar and before publishing every segment, so it is on the hot path:

- Decisions are cached per process (LRU) under (influencer, brand, purpose, platform, modalities, product
  category), together with the influencer's consent version stamp and the time window in which the decision
  cannot change (the nearest valid_from/valid_until around `at`).
- Every check reads the current stamp (one Redis GET) and re-evaluates when it differs, so a revocation in any
  process is seen at the next check even if its pub/sub message was lost.
- A cold evaluation is one query: the influencer's grants with their brands and a real-name flag (and one more for
  her assessments when consent allows the use).

consent knows nothing of render: `avatar` is anything with an `influencer_id` (the InfluencerProfile's pk), or an
InfluencerProfile itself.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol, runtime_checkable

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_noop

from accounts.models import InfluencerProfile, Organisation, RealNameRecord
from consent import broadcast
from consent.models import ConsentGrant
from consent.scope import sha256_hex

__all__ = [
    "BRAND_REFUSAL_CODE",
    "BRAND_REFUSAL_MESSAGE",
    "AvatarLike",
    "ConsentDenied",
    "Reason",
    "authorize_use",
    "clear_cache",
    "describe",
]

CACHE_SIZE = 4096


class Reason:
    NO_CONSENT = "no_consent"
    REVOKED = "revoked"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    OUT_OF_SCOPE_BRAND = "out_of_scope_brand"
    OUT_OF_SCOPE_PURPOSE = "out_of_scope_purpose"
    OUT_OF_SCOPE_PLATFORM = "out_of_scope_platform"
    OUT_OF_SCOPE_PRODUCT = "out_of_scope_product"
    MODALITY_NOT_GRANTED = "modality_not_granted"
    PENDING_REVIEW = "pending_review"
    INFLUENCER_NOT_VERIFIED = "influencer_not_verified"
    INFLUENCER_MINOR = "influencer_minor"
    TAMPERED = "tampered"
    PIA_REQUIRED = "pia_required"


# When several grants refuse for different reasons, the most specific one is reported (lowest rank wins): a brand
# that holds a revoked consent hears "revoked", not "out_of_scope_brand" from some other brand's grant.
_RANK = {
    Reason.TAMPERED: 0,
    Reason.INFLUENCER_NOT_VERIFIED: 1,
    Reason.INFLUENCER_MINOR: 1,
    Reason.MODALITY_NOT_GRANTED: 2,
    Reason.OUT_OF_SCOPE_PRODUCT: 3,
    Reason.OUT_OF_SCOPE_PLATFORM: 4,
    Reason.OUT_OF_SCOPE_PURPOSE: 5,
    Reason.NOT_YET_VALID: 6,
    Reason.PENDING_REVIEW: 7,
    Reason.EXPIRED: 8,
    Reason.REVOKED: 9,
    Reason.OUT_OF_SCOPE_BRAND: 10,
    Reason.NO_CONSENT: 11,
    Reason.PIA_REQUIRED: 12,
}


# What a brand hears for every refusal: one code, one neutral sentence (see the module docstring).
BRAND_REFUSAL_CODE = "no_consent_for_you"
BRAND_REFUSAL_MESSAGE = "This influencer has not given you consent for this use."


class ConsentDenied(Exception):  # noqa: N818 - the name the other domains call it by
    """`reason`/`message`: the detail, for the influencer, staff and the ledger. `brand_code`/`brand_message`: the
    only thing a caller may pass on to a brand."""

    brand_code = BRAND_REFUSAL_CODE
    brand_message = BRAND_REFUSAL_MESSAGE

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@runtime_checkable
class AvatarLike(Protocol):
    influencer_id: int


@dataclass(frozen=True)
class _Decision:
    version: int
    window_start: datetime | None
    window_end: datetime | None
    grant: ConsentGrant | None
    reason: str
    message: str

    def covers(self, at: datetime) -> bool:
        return (self.window_start is None or at >= self.window_start) and (
            self.window_end is None or at < self.window_end
        )


_cache: OrderedDict[tuple[Any, ...], _Decision] = OrderedDict()
_lock = threading.Lock()


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def _influencer_id(avatar: AvatarLike | InfluencerProfile) -> int:
    if isinstance(avatar, InfluencerProfile):
        return int(avatar.pk)
    value = getattr(avatar, "influencer_id", None)
    if value is None:
        raise TypeError("authorize_use needs an avatar with an influencer_id or an InfluencerProfile.")
    return int(value)


def _brand_id(brand: Organisation | int) -> int:
    return int(brand.pk if isinstance(brand, Organisation) else brand)


def _brand_public_id(brand: Organisation | int) -> str:
    if isinstance(brand, Organisation):
        return str(brand.public_id)
    public_id = Organisation.objects.filter(pk=brand).values_list("public_id", flat=True).first()
    return str(public_id) if public_id is not None else ""


def authorize_use(
    *,
    avatar: AvatarLike | InfluencerProfile,
    brand: Organisation | int,
    purpose: str,
    platform: str,
    modalities: Iterable[str],
    at: datetime,
    product_category: str | None = None,
) -> ConsentGrant:
    """The active grant that covers this use at `at`, or ConsentDenied(reason, message)."""
    if at.tzinfo is None:
        raise ValueError("authorize_use needs a timezone-aware `at`.")
    influencer_id = _influencer_id(avatar)
    wanted = frozenset(modalities)
    key = (influencer_id, _brand_id(brand), purpose, platform, wanted, product_category)
    version = broadcast.current_version(influencer_id)
    with _lock:
        decision = _cache.get(key)
        if decision is not None:
            _cache.move_to_end(key)
    if decision is None or decision.version != version or not decision.covers(at):
        decision = _evaluate(
            influencer_id=influencer_id,
            brand_id=key[1],
            brand_public_id=_brand_public_id(brand),
            purpose=purpose,
            platform=platform,
            modalities=wanted,
            at=at,
            product_category=product_category,
            version=version,
        )
        with _lock:
            _cache[key] = decision
            _cache.move_to_end(key)
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    if decision.grant is None:
        raise ConsentDenied(decision.reason, decision.message)
    return decision.grant


# Marked for the catalogs; the pages translate them when shown (`{% translate refusal.message %}`).
_MESSAGES = {
    Reason.NO_CONSENT: gettext_noop("The influencer has not granted any consent."),
    Reason.REVOKED: gettext_noop("The influencer revoked this consent."),
    Reason.EXPIRED: gettext_noop("This consent has expired."),
    Reason.NOT_YET_VALID: gettext_noop("This consent is not valid yet."),
    Reason.OUT_OF_SCOPE_BRAND: gettext_noop("No consent of this influencer names this brand."),
    Reason.OUT_OF_SCOPE_PURPOSE: gettext_noop("The consent does not cover this purpose."),
    Reason.OUT_OF_SCOPE_PLATFORM: gettext_noop("The consent does not cover this platform."),
    Reason.OUT_OF_SCOPE_PRODUCT: gettext_noop("The influencer excluded this product category."),
    Reason.MODALITY_NOT_GRANTED: gettext_noop("The consent does not grant every modality this use needs."),
    Reason.PENDING_REVIEW: gettext_noop("The consent is waiting for staff review of the identity checks."),
    Reason.INFLUENCER_NOT_VERIFIED: gettext_noop("The influencer's real-name verification is missing."),
    Reason.INFLUENCER_MINOR: gettext_noop("The influencer is under 18."),
    Reason.TAMPERED: gettext_noop("The stored consent does not match what was signed."),
    Reason.PIA_REQUIRED: gettext_noop(
        "No approved personal-information impact assessment of this influencer covers this purpose and these "
        "modalities (PIPL Arts. 55-56); platform staff assess her processing before any biometric use."
    ),
}


def describe(reason: str) -> str:
    """The detailed sentence for a refusal reason (influencer and staff pages)."""
    return _MESSAGES.get(reason, reason)


def _reason_for(
    grant: ConsentGrant,
    *,
    brand_public_id: str,
    purpose: str,
    platform: str,
    modalities: frozenset[str],
    at: datetime,
    product_category: str | None,
) -> str | None:
    """Why `grant` does not allow the use (None: it does)."""
    if not grant.names_brand:  # type: ignore[attr-defined]
        return Reason.OUT_OF_SCOPE_BRAND
    status = grant.status
    if status == ConsentGrant.Status.REVOKED:
        return Reason.REVOKED
    if status == ConsentGrant.Status.EXPIRED or at >= grant.valid_until:
        return Reason.EXPIRED
    if status == ConsentGrant.Status.PENDING_REVIEW:
        return Reason.PENDING_REVIEW
    if status != ConsentGrant.Status.ACTIVE:
        return Reason.NO_CONSENT
    if at < grant.valid_from:
        return Reason.NOT_YET_VALID
    # The signed text is the contract: an active row whose stored document no longer hashes to what was signed
    # has been altered after signing. The parsed `scope` column is never trusted here.
    if not grant.countersignature or sha256_hex(grant.scope_canonical) != grant.scope_sha256:
        return Reason.TAMPERED
    scope = json.loads(grant.scope_canonical)
    if brand_public_id not in {b.get("id") for b in scope.get("brands", [])}:
        return Reason.OUT_OF_SCOPE_BRAND
    if purpose not in scope.get("purposes", []):
        return Reason.OUT_OF_SCOPE_PURPOSE
    if platform not in scope.get("platforms", []):
        return Reason.OUT_OF_SCOPE_PLATFORM
    if not modalities or not modalities <= set(scope.get("modalities", [])):
        return Reason.MODALITY_NOT_GRANTED
    excluded = scope.get("limits", {}).get("excluded_product_categories", [])
    if product_category is not None and product_category in excluded:
        return Reason.OUT_OF_SCOPE_PRODUCT
    return None


def _evaluate(
    *,
    influencer_id: int,
    brand_id: int,
    brand_public_id: str,
    purpose: str,
    platform: str,
    modalities: frozenset[str],
    at: datetime,
    product_category: str | None,
    version: int,
) -> _Decision:
    grants = list(
        ConsentGrant.objects.filter(influencer_id=influencer_id)
        .exclude(
            status__in=[
                ConsentGrant.Status.PENDING_STATEMENT,
                ConsentGrant.Status.PENDING_SIGNATURE,
                ConsentGrant.Status.DISCARDED,
            ]
        )
        .annotate(
            adult_on=RealNameRecord.objects.filter(user_id=OuterRef("influencer__user_id")).values("adult_on")[:1],
            verified=Exists(RealNameRecord.objects.filter(user_id=OuterRef("influencer__user_id"))),
        )
        .annotate(
            names_brand=Exists(
                ConsentGrant.brands.through.objects.filter(consentgrant_id=OuterRef("pk"), organisation_id=brand_id)
            )
        )
    )
    # The window in which this decision stays true: between the nearest validity boundaries around `at`.
    boundaries = sorted({moment for g in grants for moment in (g.valid_from, g.valid_until)})
    start = max((b for b in boundaries if b <= at), default=None)
    end = min((b for b in boundaries if b > at), default=None)

    def deny(reason: str) -> _Decision:
        return _Decision(version, start, end, None, reason, _MESSAGES[reason])

    if not grants:
        return deny(Reason.NO_CONSENT)
    first = grants[0]
    if not first.verified:
        return deny(Reason.INFLUENCER_NOT_VERIFIED)
    # Only a minor's record has `adult_on` (their 18th birthday); an adult's is null.
    turns_adult: date | None = first.adult_on
    if turns_adult is not None and at.date() < turns_adult:
        return deny(Reason.INFLUENCER_MINOR)

    best: str | None = None
    for grant in grants:
        reason = _reason_for(
            grant,
            brand_public_id=brand_public_id,
            purpose=purpose,
            platform=platform,
            modalities=modalities,
            at=at,
            product_category=product_category,
        )
        if reason is None:
            return _allowed_if_assessed(
                grant,
                influencer_id=influencer_id,
                purpose=purpose,
                modalities=modalities,
                at=at,
                version=version,
                window=(start, end),
            )
        if best is None or _RANK[reason] < _RANK[best]:
            best = reason
    return deny(best or Reason.NO_CONSENT)


def _allowed_if_assessed(
    grant: ConsentGrant,
    *,
    influencer_id: int,
    purpose: str,
    modalities: frozenset[str],
    at: datetime,
    version: int,
    window: tuple[datetime | None, datetime | None],
) -> _Decision:
    """A consent that allows the use still needs the influencer's approved impact assessment covering it (PIPL Arts.
    55-56, rules.md §13: "... AND PIA approved"); checked only once consent allows, so any consent refusal is reported
    first. `COMPLIANCE_REQUIRE_PIA` (on unless a deployment turns it off) exists for the benches."""
    start, end = window
    if not settings.COMPLIANCE_REQUIRE_PIA:
        return _Decision(version, start, end, grant, "", "")
    from compliance.assessments import covering_assessment

    assessment = covering_assessment(influencer_id=influencer_id, purpose=purpose, modalities=modalities, at=at)
    if assessment is None or assessment.approved_at is None:
        return _Decision(version, start, end, None, Reason.PIA_REQUIRED, _MESSAGES[Reason.PIA_REQUIRED])
    # Approving a later assessment bumps the version stamp; the decision holds from this one's approval on.
    start = assessment.approved_at if start is None or assessment.approved_at > start else start
    return _Decision(version, start, end, grant, "", "")
