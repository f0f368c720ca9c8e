from __future__ import annotations

import base64
import copy
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from consent.receipts import verify_receipt
from consent.selectors import build_receipt
from consent.services import register_api_signing_key, sign_grant
from tests.consent.helpers import active_grant, draft_grant, skip_statement

pytestmark = pytest.mark.django_db


def test_a_passkey_receipt_verifies_and_any_change_is_detected(
    personas: dict[str, Any], template: Any, passkey: Any
) -> None:
    receipt = json.loads(json.dumps(build_receipt(active_grant(personas, template, passkey)), default=str))
    assert verify_receipt(json.dumps(receipt)) == []

    wider = copy.deepcopy(receipt)
    wider["scope"]["platforms"].append("kuaishou")
    assert "scope: scope_canonical is not the canonical form of scope" in verify_receipt(wider)

    forged = copy.deepcopy(receipt)
    forged["platform_countersignature"]["signed_document"] = forged["platform_countersignature"][
        "signed_document"
    ].replace(receipt["scope_sha256"], "0" * 64)
    assert "platform countersignature: the signature does not verify" in verify_receipt(forged)

    other_key = copy.deepcopy(receipt)
    other_key["platform_countersignature"]["public_key"] = base64.b64encode(
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    ).decode()
    problems = verify_receipt(other_key)
    assert "platform countersignature: key_id does not match the public key" in problems


def test_an_ed25519_receipt_verifies_offline(personas: dict[str, Any], template: Any) -> None:
    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    key = register_api_signing_key(user=personas["iris"], public_key=raw)
    grant = skip_statement(draft_grant(personas, template))
    signature = base64.b64encode(private.sign(grant.scope_canonical.encode())).decode()
    grant = sign_grant(grant=grant, user=personas["iris"], ed25519_key_id=key.key_id, ed25519_signature=signature)

    receipt = build_receipt(grant)

    assert verify_receipt(receipt) == []
    receipt["influencer_signature"]["signature"] = base64.b64encode(private.sign(b"something else")).decode()
    problems = verify_receipt(receipt)
    assert "influencer signature: the Ed25519 signature does not verify" in problems
    assert "platform countersignature: it countersigns another influencer signature" in problems


def test_a_receipt_html_page_and_json_download_are_served_to_the_influencer(
    personas: dict[str, Any], template: Any, passkey: Any, client: Any
) -> None:
    grant = active_grant(personas, template, passkey)
    client.force_login(personas["iris"])

    response = client.get(f"/api/v1/consent/grants/{grant.public_id}/receipt/")

    assert response.status_code == 200
    assert verify_receipt(response.content) == []
