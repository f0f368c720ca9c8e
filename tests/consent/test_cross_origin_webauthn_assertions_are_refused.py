from __future__ import annotations

from typing import Any

import pytest

from common.api import DomainError
from consent.models import ConsentGrant
from consent.scope import challenge_for
from consent.services import sign_grant
from tests.consent.helpers import RP, draft_grant, skip_statement

pytestmark = pytest.mark.django_db


def test_an_assertion_made_on_another_origin_is_refused(personas: dict[str, Any], template: Any, passkey: Any) -> None:
    grant = skip_statement(draft_grant(personas, template))
    phished = passkey.get_assertion(challenge_for(grant.scope_canonical), origin="https://veracast-login.example")

    with pytest.raises(DomainError) as refused:
        sign_grant(grant=grant, user=personas["iris"], rp=RP, webauthn_assertion=phished)

    assert refused.value.code == "origin_mismatch"
    grant.refresh_from_db()
    assert grant.status == ConsentGrant.Status.PENDING_SIGNATURE


def test_an_assertion_for_another_relying_party_is_refused(
    personas: dict[str, Any], template: Any, passkey: Any
) -> None:
    grant = skip_statement(draft_grant(personas, template))
    other_rp = passkey.get_assertion(challenge_for(grant.scope_canonical), rp_id="evil.example")

    with pytest.raises(DomainError) as refused:
        sign_grant(grant=grant, user=personas["iris"], rp=RP, webauthn_assertion=other_rp)

    assert refused.value.code == "assertion_invalid"
    grant.refresh_from_db()
    assert grant.signature == {}


def test_a_tampered_signature_is_refused(personas: dict[str, Any], template: Any, passkey: Any) -> None:
    from consent.receipts import b64url, b64url_decode

    grant = skip_statement(draft_grant(personas, template))
    assertion = passkey.get_assertion(challenge_for(grant.scope_canonical))
    signature = bytearray(b64url_decode(assertion["response"]["signature"]))
    signature[-1] ^= 0x01
    assertion["response"]["signature"] = b64url(bytes(signature))

    with pytest.raises(DomainError) as refused:
        sign_grant(grant=grant, user=personas["iris"], rp=RP, webauthn_assertion=assertion)

    assert refused.value.code == "assertion_invalid"
