from __future__ import annotations

from typing import Any

import pytest

from common.api import DomainError
from consent.models import ConsentGrant
from consent.scope import challenge_for
from consent.services import sign_grant
from tests.consent.helpers import RP, draft_grant, skip_statement

pytestmark = pytest.mark.django_db


def test_an_assertion_that_signed_one_grant_cannot_sign_another(
    personas: dict[str, Any], template: Any, passkey: Any
) -> None:
    first = skip_statement(draft_grant(personas, template))
    second = skip_statement(draft_grant(personas, template))
    assertion = passkey.get_assertion(challenge_for(first.scope_canonical))
    sign_grant(grant=first, user=personas["iris"], rp=RP, webauthn_assertion=assertion)

    with pytest.raises(DomainError) as refused:
        sign_grant(grant=second, user=personas["iris"], rp=RP, webauthn_assertion=assertion)

    assert refused.value.code == "challenge_mismatch"
    second.refresh_from_db()
    assert second.status == ConsentGrant.Status.PENDING_SIGNATURE
    assert second.signature == {}


def test_the_same_assertion_is_not_accepted_twice_even_for_the_same_document(
    personas: dict[str, Any], template: Any, passkey: Any
) -> None:
    grant = skip_statement(draft_grant(personas, template))
    assertion = passkey.get_assertion(challenge_for(grant.scope_canonical))
    sign_grant(grant=grant, user=personas["iris"], rp=RP, webauthn_assertion=assertion)
    # Even if the grant were put back to pending (say, by a bug or a restored backup), the replay stays refused.
    ConsentGrant.objects.filter(pk=grant.pk).update(status=ConsentGrant.Status.PENDING_SIGNATURE)
    grant.refresh_from_db()

    with pytest.raises(DomainError) as refused:
        sign_grant(grant=grant, user=personas["iris"], rp=RP, webauthn_assertion=assertion)

    assert refused.value.code == "assertion_replayed"


def test_an_assertion_whose_counter_did_not_advance_is_refused(
    personas: dict[str, Any], template: Any, passkey: Any
) -> None:
    first = skip_statement(draft_grant(personas, template))
    second = skip_statement(draft_grant(personas, template))
    sign_grant(
        grant=first,
        user=personas["iris"],
        rp=RP,
        webauthn_assertion=passkey.get_assertion(challenge_for(first.scope_canonical)),
    )
    # A cloned authenticator signs the second document with the counter the server has already seen.
    cloned = passkey.get_assertion(challenge_for(second.scope_canonical), bump=False)

    with pytest.raises(DomainError) as refused:
        sign_grant(grant=second, user=personas["iris"], rp=RP, webauthn_assertion=cloned)

    assert refused.value.code == "assertion_replayed"
    second.refresh_from_db()
    assert second.status == ConsentGrant.Status.PENDING_SIGNATURE


def test_a_passkey_of_someone_else_is_refused(personas: dict[str, Any], template: Any, passkey: Any) -> None:
    from consent.software_authenticator import SoftwareAuthenticator

    grant = skip_statement(draft_grant(personas, template))
    stranger = SoftwareAuthenticator()

    with pytest.raises(DomainError) as refused:
        sign_grant(
            grant=grant,
            user=personas["iris"],
            rp=RP,
            webauthn_assertion=stranger.get_assertion(challenge_for(grant.scope_canonical)),
        )

    assert refused.value.code == "unknown_credential"
