from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from consent.models import ConsentGrant
from consent.receipts import verify_receipt
from tests.consent.helpers import skip_statement

pytestmark = pytest.mark.django_db


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_an_api_client_drafts_signs_reads_its_receipt_and_revokes(
    personas: dict[str, Any], template: Any, client: Any
) -> None:
    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    client.force_login(personas["iris"])

    key = _post(client, "/api/v1/consent/api-keys/", {"public_key": base64.b64encode(raw).decode()})
    assert key.status_code == 201
    key_id = key.json()["key_id"]
    draft = _post(
        client,
        "/api/v1/consent/grants/",
        {
            "template": str(template.public_id),
            "brands": [str(personas["acme"].public_id)],
            "modalities": ["face_likeness", "voice"],
            "purposes": ["livestream_ecommerce", "short_video"],
            "platforms": ["douyin"],
            "valid_from": "2030-01-01T00:00:00Z",
            "valid_until": "2030-12-31T00:00:00Z",
            "hours_per_day": 6,
            "excluded_product_categories": ["alcohol", "medicine"],
        },
    )
    assert draft.status_code == 201, draft.json()
    grant_id = draft.json()["id"]
    assert draft.json()["status"] == "pending_statement"
    challenge = _post(client, f"/api/v1/consent/grants/{grant_id}/statement-challenge/", {})
    assert challenge.status_code == 201
    assert len(challenge.json()["code"]) == 6
    skip_statement(ConsentGrant.objects.get(public_id=grant_id))

    options = client.get(f"/api/v1/consent/grants/{grant_id}/sign-options/").json()
    document = options["document"]
    signature = base64.b64encode(private.sign(document.encode())).decode()
    signed = _post(
        client, f"/api/v1/consent/grants/{grant_id}/sign/", {"ed25519_key_id": key_id, "ed25519_signature": signature}
    )
    assert signed.status_code == 200, signed.json()
    assert signed.json()["status"] == "active"
    assert verify_receipt(client.get(f"/api/v1/consent/grants/{grant_id}/receipt/").content) == []

    revocation = client.get(f"/api/v1/consent/grants/{grant_id}/revoke-options/").json()["document"]
    revoked = _post(
        client,
        f"/api/v1/consent/grants/{grant_id}/revoke/",
        {"ed25519_key_id": key_id, "ed25519_signature": base64.b64encode(private.sign(revocation.encode())).decode()},
    )
    assert revoked.status_code == 200
    assert revoked.json()["status"] == "revoked"


def test_bad_input_gets_a_stable_code_never_a_500(personas: dict[str, Any], template: Any, client: Any) -> None:
    client.force_login(personas["iris"])

    unknown_field = _post(client, "/api/v1/consent/grants/", {"template": str(template.public_id), "x": 1})
    unknown_brand = _post(
        client,
        "/api/v1/consent/grants/",
        {
            "template": str(template.public_id),
            "brands": ["00000000-0000-4000-8000-000000000000"],
            "modalities": ["face_likeness"],
            "purposes": ["short_video"],
            "platforms": ["douyin"],
            "valid_from": "2030-01-01T00:00:00Z",
            "valid_until": "2030-02-01T00:00:00Z",
        },
    )
    bad_id = client.get("/api/v1/consent/grants/not-a-uuid/")
    no_signature = _post(client, "/api/v1/consent/grants/00000000-0000-4000-8000-000000000000/sign/", {})

    assert unknown_field.status_code == 400
    assert unknown_field.json()["code"] == "unknown_field"
    assert unknown_brand.status_code == 400
    assert unknown_brand.json()["code"] == "unknown_brand"
    assert bad_id.status_code == 404
    assert bad_id.json()["code"] == "not_found"
    assert no_signature.status_code == 404


def test_uploads_have_their_own_body_limit(personas: dict[str, Any], template: Any, client: Any) -> None:
    from consent import api

    client.force_login(personas["iris"])
    too_big = client.post(
        "/api/v1/consent/samples/", {"video": ("x.webm", b"0")}, CONTENT_LENGTH=str(api.SAMPLE_MAX_BYTES + 1)
    )
    json_body = _post(client, "/api/v1/consent/samples/", {"video": "x"})

    assert too_big.status_code == 413
    assert too_big.json()["code"] == "request_too_large"
    assert json_body.status_code == 415


def test_staff_review_a_grant_below_threshold_with_a_written_reason(
    personas: dict[str, Any], template: Any, passkey: Any, client: Any
) -> None:
    from audit.models import LedgerEvent
    from tests.consent.helpers import draft_grant, sign_with_passkey

    grant = sign_with_passkey(skip_statement(draft_grant(personas, template), face="fail"), passkey, personas["iris"])
    client.force_login(personas["iris"])
    assert client.get("/api/v1/consent/review-queue/").status_code == 403
    client.force_login(personas["sam"])

    queue = client.get("/api/v1/consent/review-queue/").json()
    no_reason = _post(
        client, f"/api/v1/consent/grants/{grant.public_id}/review/", {"decision": "approve", "reason": ""}
    )
    approved = _post(
        client,
        f"/api/v1/consent/grants/{grant.public_id}/review/",
        {"decision": "approve", "reason": "Compared the statement video with the ID photo by hand."},
    )

    assert [g["id"] for g in queue] == [str(grant.public_id)]
    assert no_reason.status_code == 400
    assert approved.status_code == 200
    assert approved.json()["status"] == "active"
    event = LedgerEvent.objects.get(subject=f"consent:{grant.public_id}", kind="consent.reviewed")
    assert event.payload_data["reason"].startswith("Compared")


def test_an_influencer_sees_only_their_own_grants(
    personas: dict[str, Any], template: Any, passkey: Any, client: Any
) -> None:
    from tests.consent.helpers import active_grant

    grant = active_grant(personas, template, passkey)
    client.force_login(personas["alice"])

    assert client.get("/api/v1/consent/grants/").json() == []
    assert client.get(f"/api/v1/consent/grants/{grant.public_id}/").status_code == 404
    client.force_login(personas["iris"])
    assert [g["id"] for g in client.get("/api/v1/consent/grants/").json()] == [str(grant.public_id)]
