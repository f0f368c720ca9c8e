from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from audit.models import LedgerEvent
from common.api import DomainError
from consent import broadcast
from consent.gate import ConsentDenied, authorize_use
from consent.models import ConsentGrant, ConsentVersion
from consent.scope import challenge_for
from consent.services import revoke_consent
from tests.consent.helpers import RP, active_grant, revoke_with_passkey

pytestmark = pytest.mark.django_db


def _use(personas: dict[str, Any]) -> ConsentGrant:
    return authorize_use(
        avatar=personas["iris"].influencer,
        brand=personas["acme"],
        purpose="livestream_ecommerce",
        platform="douyin",
        modalities=["face_likeness"],
        at=timezone.now(),
    )


def test_the_gate_refuses_a_revoked_consent_even_with_a_warm_cache(
    personas: dict[str, Any], template: Any, passkey: Any, django_capture_on_commit_callbacks: Any
) -> None:
    grant = active_grant(personas, template, passkey)
    assert _use(personas).pk == grant.pk  # the decision is now cached

    with django_capture_on_commit_callbacks(execute=True):
        revoke_with_passkey(grant, passkey, personas["iris"])

    with pytest.raises(ConsentDenied) as denied:
        _use(personas)
    assert denied.value.reason == "revoked"


def test_revocation_is_recorded_bumps_the_version_and_runs_the_hooks(
    personas: dict[str, Any], template: Any, passkey: Any, django_capture_on_commit_callbacks: Any
) -> None:
    grant = active_grant(personas, template, passkey)
    influencer = personas["iris"].influencer
    before = ConsentVersion.objects.get(influencer=influencer).version
    seen: list[broadcast.Revocation] = []
    hook = broadcast.on_revocation(seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            revoked = revoke_with_passkey(grant, passkey, personas["iris"])
    finally:
        broadcast.remove_revocation_hook(hook)

    assert revoked.status == ConsentGrant.Status.REVOKED
    assert ConsentVersion.objects.get(influencer=influencer).version == before + 1
    assert broadcast.current_version(influencer.pk) == before + 1
    assert [(s.grant_public_id, s.reason) for s in seen] == [(str(grant.public_id), "revoked")]
    event = LedgerEvent.objects.get(subject=f"consent:{grant.public_id}", kind="consent.revoked")
    assert event.payload_data["confirmation"]["method"] == "webauthn"


def test_a_revocation_cannot_be_undone_or_repeated(personas: dict[str, Any], template: Any, passkey: Any) -> None:
    grant = active_grant(personas, template, passkey)
    revoke_with_passkey(grant, passkey, personas["iris"])
    grant.refresh_from_db()

    with pytest.raises(DomainError) as refused:
        revoke_with_passkey(grant, passkey, personas["iris"])

    assert refused.value.code == "grant_not_revocable"


def test_a_revocation_must_be_confirmed_with_the_passkey_over_the_revocation(
    personas: dict[str, Any], template: Any, passkey: Any
) -> None:
    grant = active_grant(personas, template, passkey)

    with pytest.raises(DomainError) as unconfirmed:
        revoke_consent(grant=grant, actor=personas["iris"], rp=RP)
    with pytest.raises(DomainError) as wrong_document:
        revoke_consent(
            grant=grant,
            actor=personas["iris"],
            rp=RP,
            webauthn_assertion=passkey.get_assertion(challenge_for(grant.scope_canonical)),
        )

    assert unconfirmed.value.code == "confirmation_required"
    assert wrong_document.value.code == "challenge_mismatch"
    grant.refresh_from_db()
    assert grant.status == ConsentGrant.Status.ACTIVE


def test_nobody_but_the_influencer_revokes(personas: dict[str, Any], template: Any, passkey: Any) -> None:
    grant = active_grant(personas, template, passkey)

    with pytest.raises(DomainError) as refused:
        revoke_with_passkey(grant, passkey, personas["alice"])

    assert refused.value.code == "not_found"
