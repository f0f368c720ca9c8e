from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import timezone

from common.api import DomainError
from consent.gate import ConsentDenied, authorize_use
from consent.models import ConsentGrant
from consent.receipts import verify_receipt
from consent.scope import canonical, challenge_for
from consent.selectors import build_receipt
from consent.services import sign_grant
from tests.consent.helpers import RP, active_grant, draft_grant, skip_statement

pytestmark = pytest.mark.django_db


def _use(personas: dict[str, Any], platform: str = "douyin") -> ConsentGrant:
    return authorize_use(
        avatar=personas["iris"].influencer,
        brand=personas["acme"],
        purpose="livestream_ecommerce",
        platform=platform,
        modalities=["face_likeness"],
        at=timezone.now(),
    )


def test_a_signed_document_edited_in_the_database_is_refused_by_the_gate_and_the_receipt(
    personas: dict[str, Any], template: Any, passkey: Any
) -> None:
    grant = active_grant(personas, template, passkey)
    scope = json.loads(grant.scope_canonical)
    scope["platforms"].append("kuaishou")
    ConsentGrant.objects.filter(pk=grant.pk).update(scope_canonical=canonical(scope), scope=scope)
    grant.refresh_from_db()

    with pytest.raises(ConsentDenied) as denied:
        _use(personas, platform="kuaishou")

    assert denied.value.reason == "tampered"
    problems = verify_receipt(build_receipt(grant))
    assert any("scope_sha256" in p for p in problems)
    assert any("signature" in p for p in problems)


def test_editing_only_the_parsed_copy_changes_nothing_the_gate_decides(
    personas: dict[str, Any], template: Any, passkey: Any
) -> None:
    grant = active_grant(personas, template, passkey)
    ConsentGrant.objects.filter(pk=grant.pk).update(scope={**grant.scope, "platforms": ["kuaishou"]})

    with pytest.raises(ConsentDenied) as denied:
        _use(personas, platform="kuaishou")

    assert denied.value.reason == "out_of_scope_platform"
    assert _use(personas, platform="douyin").pk == grant.pk


def test_a_signature_over_a_different_document_is_refused(
    personas: dict[str, Any], template: Any, passkey: Any
) -> None:
    grant = skip_statement(draft_grant(personas, template))
    altered = json.loads(grant.scope_canonical)
    altered["brands"].append({"id": str(personas["globex"].public_id), "name": "Globex"})

    with pytest.raises(DomainError) as refused:
        sign_grant(
            grant=grant,
            user=personas["iris"],
            rp=RP,
            webauthn_assertion=passkey.get_assertion(challenge_for(canonical(altered))),
        )

    assert refused.value.code == "challenge_mismatch"
    grant.refresh_from_db()
    assert grant.status == ConsentGrant.Status.PENDING_SIGNATURE


def test_a_draft_altered_before_signing_cannot_be_signed(personas: dict[str, Any], template: Any, passkey: Any) -> None:
    grant = skip_statement(draft_grant(personas, template))
    altered = json.loads(grant.scope_canonical)
    altered["platforms"] = ["kuaishou"]
    ConsentGrant.objects.filter(pk=grant.pk).update(scope_canonical=canonical(altered))
    grant.refresh_from_db()

    with pytest.raises(DomainError) as refused:
        sign_grant(
            grant=grant,
            user=personas["iris"],
            rp=RP,
            webauthn_assertion=passkey.get_assertion(challenge_for(grant.scope_canonical)),
        )

    assert refused.value.code == "scope_tampered"
