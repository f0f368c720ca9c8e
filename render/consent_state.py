"""What the consent behind an avatar allows now, and what the consent gate would answer before a build starts, as
sentences for the brand's pages.

A brand sees only what it may know: the state of the grants that name it (signed, then active, revoked or expired)
and their scope, and the gate's neutral answer. The gate's detailed reason across all of the influencer's grants
(ranked, possibly about another brand's grant) stays with the influencer and staff. A preview asks the gate without
recording a refusal: nothing was attempted; the build itself asks again, and that refusal is ledgered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Organisation
from consent.gate import ConsentDenied, authorize_use
from consent.models import ConsentGrant
from consent.templatetags.consent_labels import consent_label, consent_labels
from render.models import Avatar


@dataclass(frozen=True)
class ConsentState:
    """`code`: active | revoked | expired | pending_review | not_yet_valid | out_of_scope | none."""

    code: str
    sentence: str
    allows_new_work: bool


@dataclass(frozen=True)
class GateAnswer:
    allowed: bool
    sentence: str
    hints: tuple[str, ...] = ()


def _day(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "DATE_FORMAT")


def consent_state(avatar: Avatar, *, at: datetime | None = None) -> ConsentState:
    """The consent the avatar was built under, and whether it allows new renders of this avatar now."""
    now = at or timezone.now()
    grant = avatar.grant
    if grant is None:
        return ConsentState("none", _("No consent is recorded behind this avatar: no new renders."), False)
    if grant.status == ConsentGrant.Status.REVOKED:
        when = grant.revoked_at
        sentence = (
            _("Consent revoked on %(date)s: no new renders, and work in progress stops at its next segment.")
            % {"date": _day(when)}
            if when
            else _("Consent revoked: no new renders, and work in progress stops at its next segment.")
        )
        return ConsentState("revoked", sentence, False)
    if grant.status == ConsentGrant.Status.EXPIRED or now >= grant.valid_until:
        return ConsentState(
            "expired", _("Consent expired on %(date)s: no new renders.") % {"date": _day(grant.valid_until)}, False
        )
    if grant.status == ConsentGrant.Status.PENDING_REVIEW:
        return ConsentState(
            "pending_review",
            _("Consent is waiting for staff review of the identity checks: no renders until it is approved."),
            False,
        )
    if grant.status != ConsentGrant.Status.ACTIVE:
        return ConsentState("none", _("No consent is in force behind this avatar: no new renders."), False)
    if now < grant.valid_from:
        return ConsentState(
            "not_yet_valid",
            _("Consent starts on %(date)s: no renders before then.") % {"date": _day(grant.valid_from)},
            False,
        )
    try:
        authorize_use(
            avatar=avatar,
            brand=avatar.brand,
            purpose=avatar.purpose,
            platform=avatar.platform,
            modalities=avatar.modalities,
            at=now,
        )
    except ConsentDenied:
        return ConsentState(
            "out_of_scope",
            _("The consent no longer allows this avatar's use (%(purpose)s on %(platform)s): no new renders.")
            % {"purpose": consent_label(avatar.purpose), "platform": consent_label(avatar.platform)},
            False,
        )
    return ConsentState(
        "active",
        _("Consent active until %(date)s: new renders for %(purpose)s on %(platform)s are allowed.")
        % {
            "date": _day(grant.valid_until),
            "purpose": consent_label(avatar.purpose),
            "platform": consent_label(avatar.platform),
        },
        True,
    )


def preview_avatar_gate(
    *, brand: Organisation, grant: ConsentGrant, purpose: str, platform: str, voice: bool, at: datetime | None = None
) -> GateAnswer:
    """What the gate answers for building an avatar of the grant's influencer for this brand and use, now."""
    modalities = ["face_likeness", "voice"] if voice else ["face_likeness"]
    now = at or timezone.now()
    try:
        allowed = authorize_use(
            avatar=grant.influencer, brand=brand, purpose=purpose, platform=platform, modalities=modalities, at=now
        )
    except ConsentDenied:
        return GateAnswer(
            False,
            _("This influencer has not given you consent for this use."),
            _hints(grant, purpose=purpose, platform=platform, modalities=modalities, now=now),
        )
    if allowed.pk != grant.pk:
        return GateAnswer(
            False,
            _("Another of this influencer's consents covers this use, not the one chosen: choose that one."),
        )
    return GateAnswer(
        True,
        _(
            "The consent gate allows it: %(name)s's consent covers %(modalities)s for %(purpose)s on %(platform)s "
            "until %(date)s."
        )
        % {
            "name": grant.influencer.stage_name,
            "modalities": consent_labels(modalities),
            "purpose": consent_label(purpose),
            "platform": consent_label(platform),
            "date": _day(grant.valid_until),
        },
    )


def _hints(
    grant: ConsentGrant, *, purpose: str, platform: str, modalities: list[str], now: datetime
) -> tuple[str, ...]:
    """Why the chosen grant (one that names this brand, so its scope is the brand's to read) does not cover it."""
    hints: list[str] = []
    scope = grant.scope or {}
    if grant.status == ConsentGrant.Status.REVOKED:
        hints.append(_("This consent was revoked."))
    elif grant.status == ConsentGrant.Status.EXPIRED or now >= grant.valid_until:
        hints.append(_("This consent has expired."))
    elif grant.status == ConsentGrant.Status.PENDING_REVIEW:
        hints.append(_("This consent is waiting for staff review of the identity checks."))
    elif now < grant.valid_from:
        hints.append(_("This consent is not valid yet."))
    if purpose not in scope.get("purposes", []):
        hints.append(_("This consent does not cover %(purpose)s.") % {"purpose": consent_label(purpose)})
    if platform not in scope.get("platforms", []):
        hints.append(_("This consent does not cover %(platform)s.") % {"platform": consent_label(platform)})
    missing = [m for m in modalities if m not in scope.get("modalities", [])]
    if missing:
        hints.append(_("This consent does not grant %(modalities)s.") % {"modalities": consent_labels(missing)})
    return tuple(hints)
