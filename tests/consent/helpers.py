"""Helpers that move grants through their life with the real services (only the statement video step has a
shortcut, `skip_statement`, for tests about later steps; the statement tests use real videos)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from consent import passkeys
from consent.software_authenticator import SoftwareAuthenticator

RP = passkeys.RelyingParty(rp_id="localhost", origins=("http://localhost",))

PIPL_FIELDS = {
    "controller": "Veracast Technology Co., Ltd.",
    "contact": "privacy@veracast.example, +86 10 0000 0000",
    "purpose": "Create and run an AI digital human of you for the brands you choose.",
    "processing_method": "We record video, derive face and voice embeddings, and synthesise new video and audio.",
    "modalities": {
        "face_likeness": "Your face and likeness in generated video.",
        "voice": "Your voice in generated audio.",
        "body_movement": "Your body movement and gestures in generated video.",
    },
    "necessity": "A digital human cannot be made without these biometric data.",
    "impact": "Generated content will look and sound like you; misuse could harm your reputation.",
    "retention_period": "Until the consent ends; then the data key is destroyed.",
    "recipients": "Only the brands you name, on the platforms you choose.",
    "withdrawal": "Revoke at any time in the portal or via the API; it takes effect immediately.",
}


def verified_influencer(name: str, *, born: date, verified_by: Any, serial: int = 123) -> Any:
    """A new influencer, `name`@creators.example, real-name verified by staff `verified_by` (no impact assessment).
    ID numbers are unique: two people born the same day need different `serial`s."""
    from accounts.identity import gb11643_check_character
    from accounts.services import create_influencer_profile, create_user, record_real_name

    user = create_user(email=f"{name}@creators.example", password=f"{name}-password-1", display_name=name.title())
    create_influencer_profile(user=user, stage_name=f"{name.title()} Live")
    first17 = f"110101{born:%Y%m%d}{serial:03d}"
    record_real_name(
        user=user,
        legal_name=f"{name.title()} Example",
        id_number=first17 + gb11643_check_character(first17),
        date_of_birth=born,
        method="id_card_nfc",
        verified_by=verified_by,
    )
    return user


def published_template(staff: Any, *, language: str = "en", family: str = "avatar-licence") -> Any:
    from consent.services import create_template, publish_template

    template = create_template(
        family=family,
        language=language,
        title="Digital human licence",
        body="I allow Veracast to create a digital human of me within the scope below.",
        pipl_fields=PIPL_FIELDS,
        actor=staff,
    )
    return publish_template(template=template, actor=staff)


def register_passkey(user: Any) -> SoftwareAuthenticator:
    from consent.services import begin_passkey_registration, finish_passkey_registration

    authenticator = SoftwareAuthenticator()
    options = begin_passkey_registration(user=user, rp=RP)
    finish_passkey_registration(user=user, rp=RP, credential=authenticator.register(options))
    return authenticator


def draft_grant(
    personas: dict[str, Any],
    template: Any,
    *,
    brands: list[Any] | None = None,
    modalities: tuple[str, ...] = ("face_likeness", "body_movement"),
    purposes: tuple[str, ...] = ("livestream_ecommerce",),
    platforms: tuple[str, ...] = ("douyin", "taobao"),
    valid_from: Any = None,
    valid_until: Any = None,
    excluded_product_categories: tuple[str, ...] = (),
    hours_per_day: int | None = None,
    user: Any = None,
) -> Any:
    from consent.services import create_grant

    now = timezone.now()
    return create_grant(
        user=user or personas["iris"],
        template=template,
        brands=brands or [personas["acme"]],
        modalities=modalities,
        purposes=purposes,
        platforms=platforms,
        valid_from=valid_from or now - timedelta(minutes=1),
        valid_until=valid_until or now + timedelta(days=90),
        excluded_product_categories=excluded_product_categories,
        hours_per_day=hours_per_day,
    )


def skip_statement(grant: Any, *, face: str = "pass") -> Any:
    """Mark the statement step done with the given face decision (tests of later steps only)."""
    from consent.models import ConsentGrant

    ConsentGrant.objects.filter(pk=grant.pk).update(
        status=ConsentGrant.Status.PENDING_SIGNATURE,
        face_decision=face,
        face_score=0.3 if face == "pass" else 0.8,
        voice_decision="not_required",
        needs_review=face != "pass",
    )
    grant.refresh_from_db()
    return grant


def sign_with_passkey(grant: Any, authenticator: SoftwareAuthenticator, user: Any) -> Any:
    from consent.scope import challenge_for
    from consent.services import sign_grant

    assertion = authenticator.get_assertion(challenge_for(grant.scope_canonical))
    return sign_grant(grant=grant, user=user, rp=RP, webauthn_assertion=assertion)


def active_grant(personas: dict[str, Any], template: Any, authenticator: SoftwareAuthenticator, **kwargs: Any) -> Any:
    grant = skip_statement(draft_grant(personas, template, **kwargs))
    return sign_with_passkey(grant, authenticator, personas["iris"])


def revoke_with_passkey(grant: Any, authenticator: SoftwareAuthenticator, user: Any) -> Any:
    from consent.services import revocation_challenge, revoke_consent

    _, challenge = revocation_challenge(grant)
    return revoke_consent(grant=grant, actor=user, rp=RP, webauthn_assertion=authenticator.get_assertion(challenge))
