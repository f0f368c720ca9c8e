"""Sample swapped after signing: the signed scope document names the training sample the statement was checked
against (id and SHA-256), avatars are built from that sample only, and a newer sample is used only after a new
statement check under the grant (ledgered) finds the same face."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import LedgerEvent
from common.api import DomainError
from consent.models import ConsentGrant, VaultObject
from consent.receipts import verify_receipt
from consent.services import recheck_statement_against_sample
from render.services import create_avatar
from tests.consent.biometrics import media_factory as mf
from tests.consent.helpers import draft_grant, sign_with_passkey
from tests.consent.statements import issue, live_statement, sample_video, submit, upload_sample

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _avatar(personas: dict[str, Any]) -> Any:
    return create_avatar(
        influencer=personas["iris"].influencer,
        brand=personas["acme"],
        actor=personas["bob"],
        purpose="livestream_ecommerce",
        platform="douyin",
    )


def test_a_sample_uploaded_after_signing_is_not_used_until_a_new_check_binds_it(
    personas: dict[str, Any], template: Any, client: Any, passkey: Any
) -> None:
    client.force_login(personas["iris"])
    checked = VaultObject.objects.get(public_id=upload_sample(client, sample_video()).json()["id"])
    grant = draft_grant(personas, template)
    issued = issue(client, grant)
    assert submit(client, grant, issued, live_statement(issued)).status_code == 200
    grant = sign_with_passkey(ConsentGrant.objects.get(pk=grant.pk), passkey, personas["iris"])
    assert grant.status == ConsentGrant.Status.ACTIVE
    # The signed document itself names the sample.
    assert grant.scope["type"] == "veracast.consent.scope/v2"
    assert grant.scope["sample"] == {"id": str(checked.public_id), "sha256": checked.plaintext_sha256}
    assert checked.plaintext_sha256 in grant.scope_canonical
    # The v2 document verifies offline like any other (the receipt carries it byte for byte).
    assert verify_receipt(client.get(f"/api/v1/consent/grants/{grant.public_id}/receipt/").content) == []

    # Someone else's face is uploaded as iris's newest sample.
    swapped = VaultObject.objects.get(public_id=upload_sample(client, sample_video(mf.grace_hopper())).json()["id"])
    avatar = _avatar(personas)

    assert avatar.sample_id == checked.pk != swapped.pk
    with pytest.raises(DomainError) as refused:
        recheck_statement_against_sample(grant=grant, user=personas["iris"])
    assert refused.value.code == "sample_mismatch"
    grant.refresh_from_db()
    assert grant.sample_id == checked.pk

    # A new sample of the same face is bound by a new statement check, in the ledger.
    renewed = VaultObject.objects.get(public_id=upload_sample(client, sample_video(seconds=32)).json()["id"])
    grant = recheck_statement_against_sample(grant=grant, user=personas["iris"])

    assert grant.sample_id == renewed.pk
    event = LedgerEvent.objects.get(kind="consent.sample_rebound", subject=f"consent:{grant.public_id}")
    assert event.payload_data["previous_sample"]["id"] == str(checked.public_id)
    assert event.payload_data["sample"] == {"id": str(renewed.public_id), "sha256": renewed.plaintext_sha256}
    assert event.payload_data["face"]["decision"] == "pass"
    assert _avatar(personas).sample_id == renewed.pk
