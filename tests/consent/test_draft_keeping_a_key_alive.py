"""Attack: an influencer revokes her only signed consent while an old unsigned draft lies around; the draft must not
keep her data key (and so her sample and statements) alive."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.storage import default_storage

from audit.models import LedgerEvent
from consent import vault
from consent.models import ConsentGrant, DataKey
from tests.consent.helpers import active_grant, draft_grant, revoke_with_passkey, skip_statement

pytestmark = pytest.mark.django_db


def test_revoking_the_signed_grant_destroys_the_key_despite_unsigned_drafts(
    personas: dict[str, Any], template: Any, passkey: Any, django_capture_on_commit_callbacks: Any
) -> None:
    influencer = personas["iris"].influencer
    signed = active_grant(personas, template, passkey)
    waiting_for_statement = draft_grant(personas, template, brands=[personas["globex"]])
    waiting_for_signature = skip_statement(draft_grant(personas, template, brands=[personas["globex"]]))
    sample = vault.store_object(influencer=influencer, kind="sample", source=io.BytesIO(b"pretend video" * 100))

    with django_capture_on_commit_callbacks(execute=True):
        revoke_with_passkey(signed, passkey, personas["iris"])

    assert DataKey.objects.get(pk=sample.data_key_id).status == DataKey.Status.DESTROYED
    assert not default_storage.exists(sample.storage_name)
    assert LedgerEvent.objects.filter(kind="vault.key_destroyed", payload__contains=str(sample.public_id)).exists()
    assert not LedgerEvent.objects.filter(kind="vault.key_retained").exists()
    # The drafts themselves are untouched: they lapse or are discarded on their own.
    statuses = set(
        ConsentGrant.objects.filter(pk__in=[waiting_for_statement.pk, waiting_for_signature.pk]).values_list(
            "status", flat=True
        )
    )
    assert statuses == {"pending_statement", "pending_signature"}


def test_a_grant_waiting_for_review_is_signed_and_does_keep_the_key(
    personas: dict[str, Any], template: Any, passkey: Any
) -> None:
    from tests.consent.helpers import sign_with_passkey

    influencer = personas["iris"].influencer
    signed = active_grant(personas, template, passkey)
    in_review = sign_with_passkey(
        skip_statement(draft_grant(personas, template, brands=[personas["globex"]]), face="fail"),
        passkey,
        personas["iris"],
    )
    assert in_review.status == ConsentGrant.Status.PENDING_REVIEW
    sample = vault.store_object(influencer=influencer, kind="sample", source=io.BytesIO(b"pretend video"))

    revoke_with_passkey(signed, passkey, personas["iris"])

    assert DataKey.objects.get(pk=sample.data_key_id).status == DataKey.Status.ACTIVE
    assert LedgerEvent.objects.get(kind="vault.key_retained").payload_data["why"] == "other_consents_live"
