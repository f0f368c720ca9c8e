from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.storage import default_storage

from audit.models import LedgerEvent
from common.api import DomainError
from consent import vault
from consent.models import DataKey, VaultObject
from consent.services import place_legal_hold, release_legal_hold
from tests.consent.helpers import active_grant, revoke_with_passkey

pytestmark = pytest.mark.django_db


def _sample(influencer: Any) -> VaultObject:
    return vault.store_object(influencer=influencer, kind="sample", source=io.BytesIO(b"pretend video" * 1000))


def test_revoking_the_last_consent_destroys_the_key_and_certifies_the_deletion(
    personas: dict[str, Any], template: Any, passkey: Any, django_capture_on_commit_callbacks: Any
) -> None:
    influencer = personas["iris"].influencer
    grant = active_grant(personas, template, passkey)
    obj = _sample(influencer)
    assert vault.open_object(obj).read() == b"pretend video" * 1000
    assert default_storage.exists(obj.storage_name)

    with django_capture_on_commit_callbacks(execute=True):
        revoke_with_passkey(grant, passkey, personas["iris"])

    key = DataKey.objects.get(pk=obj.data_key_id)
    assert key.status == DataKey.Status.DESTROYED
    assert bytes(key.wrapped_key) == b""
    assert not default_storage.exists(obj.storage_name)
    certificate = LedgerEvent.objects.get(kind="vault.key_destroyed", subject=f"influencer:{influencer.public_id}")
    listed = certificate.payload_data["objects"]
    assert listed == [
        {
            "id": str(obj.public_id),
            "kind": "sample",
            "plaintext_sha256": obj.plaintext_sha256,
            "ciphertext_sha256": obj.ciphertext_sha256,
            "storage_name": obj.storage_name,
        }
    ]
    obj.refresh_from_db()
    with pytest.raises(DomainError) as gone:
        vault.open_object(obj)
    assert gone.value.code == "vault_shredded"


def test_a_legal_hold_keeps_the_key_until_it_is_released(personas: dict[str, Any], template: Any, passkey: Any) -> None:
    influencer = personas["iris"].influencer
    grant = active_grant(personas, template, passkey)
    obj = _sample(influencer)
    hold = place_legal_hold(influencer=influencer, actor=personas["sam"], reason="Court order 2026-123")

    revoke_with_passkey(grant, passkey, personas["iris"])

    assert DataKey.objects.get(pk=obj.data_key_id).status == DataKey.Status.ACTIVE
    retained = LedgerEvent.objects.get(kind="vault.key_retained")
    assert retained.payload_data["why"] == "legal_hold"

    release_legal_hold(hold=hold, actor=personas["sam"])

    assert DataKey.objects.get(pk=obj.data_key_id).status == DataKey.Status.DESTROYED


def test_the_key_stays_while_another_consent_is_live(personas: dict[str, Any], template: Any, passkey: Any) -> None:
    influencer = personas["iris"].influencer
    first = active_grant(personas, template, passkey)
    active_grant(personas, template, passkey, brands=[personas["globex"]])
    obj = _sample(influencer)

    revoke_with_passkey(first, passkey, personas["iris"])

    assert DataKey.objects.get(pk=obj.data_key_id).status == DataKey.Status.ACTIVE
    assert LedgerEvent.objects.get(kind="vault.key_retained").payload_data["why"] == "other_consents_live"
