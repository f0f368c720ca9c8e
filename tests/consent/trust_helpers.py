"""Helpers for the trust tests: an influencer's Ed25519 API key and revocation through the real API."""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def register_api_key(client: Any) -> tuple[Ed25519PrivateKey, str]:
    """A fresh key registered through the API by the logged-in `client`; returns it with its key id."""
    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    response = client.post(
        "/api/v1/consent/api-keys/",
        json.dumps({"public_key": base64.b64encode(raw).decode()}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return private, response.json()["key_id"]


def revoke_through_api(client: Any, grant_id: str, private: Ed25519PrivateKey, key_id: str) -> Any:
    """Fetch the revocation document, sign it and post the revocation, as an API client would."""
    options = client.get(f"/api/v1/consent/grants/{grant_id}/revoke-options/")
    assert options.status_code == 200, options.content
    signature = base64.b64encode(private.sign(options.json()["document"].encode())).decode()
    return client.post(
        f"/api/v1/consent/grants/{grant_id}/revoke/",
        json.dumps({"ed25519_key_id": key_id, "ed25519_signature": signature}),
        content_type="application/json",
    )
