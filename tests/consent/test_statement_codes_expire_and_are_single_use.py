from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from common.api import DomainError
from consent.models import ConsentGrant, StatementChallenge, VaultObject
from consent.services import issue_statement_challenge, submit_statement
from tests.consent.helpers import draft_grant

pytestmark = pytest.mark.django_db


def _submit(grant: ConsentGrant, user: Any, challenge: StatementChallenge, code: str) -> ConsentGrant:
    return submit_statement(
        grant=grant, user=user, challenge_id=str(challenge.public_id), code=code, video=io.BytesIO(b"not checked yet")
    )


def test_an_expired_code_is_refused_and_nothing_changes(personas: dict[str, Any], template: Any) -> None:
    grant = draft_grant(personas, template)
    challenge, code = issue_statement_challenge(grant=grant, user=personas["iris"])
    StatementChallenge.objects.filter(pk=challenge.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(DomainError) as refused:
        _submit(grant, personas["iris"], challenge, code)

    assert refused.value.code == "code_expired"
    grant.refresh_from_db()
    assert grant.status == ConsentGrant.Status.PENDING_STATEMENT
    assert not VaultObject.objects.exists()


def test_a_code_that_was_used_is_refused(personas: dict[str, Any], template: Any) -> None:
    grant = draft_grant(personas, template)
    challenge, code = issue_statement_challenge(grant=grant, user=personas["iris"])
    StatementChallenge.objects.filter(pk=challenge.pk).update(used_at=timezone.now())

    with pytest.raises(DomainError) as refused:
        _submit(grant, personas["iris"], challenge, code)

    assert refused.value.code == "code_used"
    assert not VaultObject.objects.exists()


def test_a_wrong_code_is_refused_and_five_wrong_codes_burn_the_challenge(
    personas: dict[str, Any], template: Any
) -> None:
    grant = draft_grant(personas, template)
    challenge, code = issue_statement_challenge(grant=grant, user=personas["iris"])
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    for _ in range(5):
        with pytest.raises(DomainError) as refused:
            _submit(grant, personas["iris"], challenge, wrong)
        assert refused.value.code == "code_invalid"
    with pytest.raises(DomainError) as burnt:
        _submit(grant, personas["iris"], challenge, code)

    assert burnt.value.code == "code_used"


def test_the_code_is_stored_only_as_a_digest(personas: dict[str, Any], template: Any) -> None:
    grant = draft_grant(personas, template)
    challenge, code = issue_statement_challenge(grant=grant, user=personas["iris"])

    assert code not in challenge.code_digest
    assert challenge.expires_at - challenge.created_at == timedelta(minutes=10)


def test_a_code_of_another_grant_is_refused(personas: dict[str, Any], template: Any) -> None:
    first = draft_grant(personas, template)
    second = draft_grant(personas, template)
    challenge, code = issue_statement_challenge(grant=first, user=personas["iris"])

    with pytest.raises(DomainError) as refused:
        _submit(second, personas["iris"], challenge, code)

    assert refused.value.code == "code_invalid"
