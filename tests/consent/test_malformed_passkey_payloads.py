"""Attack: malformed passkey payloads. Registrations and assertions with a missing `id`, an empty credential or
wrong types get 400 with py_webauthn's own reason (never a 500), and change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from consent.models import ConsentGrant, WebAuthnCredential
from tests.consent.helpers import active_grant, draft_grant, skip_statement

RESPONSE = {"clientDataJSON": "e30", "authenticatorData": "AAAA", "signature": "AAAA"}
# (payload, a fragment of py_webauthn's reason)
ASSERTIONS = [
    ({}, "missing required id"),
    ({"rawId": "AAAA", "response": RESPONSE, "type": "public-key"}, "missing required id"),
    ({"id": 12, "rawId": "AAAA", "response": RESPONSE, "type": "public-key"}, "missing required id"),
    ({"id": "AAAA", "response": RESPONSE, "type": "public-key"}, "missing required rawId"),
    ({"id": "AAAA", "rawId": "AAAA", "response": [], "type": "public-key"}, "missing required response"),
    ({"id": "AAAA", "rawId": "AAAA", "response": {}, "type": "public-key"}, "clientDataJSON"),
    ({"id": "AAAA", "rawId": "AAAA", "response": {**RESPONSE, "signature": 5}, "type": "public-key"}, "signature"),
    ({"id": "AAAA", "rawId": "AAAA", "response": RESPONSE, "type": "password"}, "unexpected type"),
    ({"id": "AAAA", "rawId": "A", "response": RESPONSE, "type": "public-key"}, ""),  # not base64url
]
REGISTRATIONS = [
    ({}, "missing required id"),
    ({"rawId": "AAAA", "response": {}, "type": "public-key"}, "missing required id"),
    ({"id": "AAAA", "rawId": "AAAA", "response": "x", "type": "public-key"}, "missing required response"),
    ({"id": "AAAA", "rawId": "AAAA", "response": {"clientDataJSON": "e30"}, "type": "public-key"}, "attestationObject"),
    (
        {"id": "AAAA", "rawId": "AAAA", "response": {"clientDataJSON": "!!", "attestationObject": "!!"}, "type": 3},
        "",
    ),
]


def _iris(personas: dict[str, Any]) -> APIClient:
    client = APIClient()
    client.force_authenticate(personas["iris"])
    return client


@pytest.mark.parametrize(("payload", "reason"), REGISTRATIONS)
def test_malformed_registrations_get_the_librarys_reason(
    personas: dict[str, Any], payload: dict[str, Any], reason: str
) -> None:
    client = _iris(personas)
    assert client.post("/api/v1/consent/passkeys/options/").status_code == 200
    response = client.post("/api/v1/consent/passkeys/", {"credential": payload}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "registration_invalid"
    assert reason in response.json()["message"]
    assert not WebAuthnCredential.objects.exists()


@pytest.mark.parametrize(("payload", "reason"), ASSERTIONS)
def test_malformed_signing_assertions_get_the_librarys_reason(
    personas: dict[str, Any], template: Any, passkey: Any, payload: dict[str, Any], reason: str
) -> None:
    grant = skip_statement(draft_grant(personas, template))
    response = _iris(personas).post(
        f"/api/v1/consent/grants/{grant.public_id}/sign/", {"webauthn": payload}, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "assertion_invalid"
    assert reason in response.json()["message"]
    grant.refresh_from_db()
    assert grant.status == ConsentGrant.Status.PENDING_SIGNATURE


@pytest.mark.parametrize(("payload", "reason"), ASSERTIONS[:3])
def test_malformed_revocation_assertions_get_the_librarys_reason(
    personas: dict[str, Any], template: Any, passkey: Any, payload: dict[str, Any], reason: str
) -> None:
    grant = active_grant(personas, template, passkey)
    response = _iris(personas).post(
        f"/api/v1/consent/grants/{grant.public_id}/revoke/", {"webauthn": payload}, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "assertion_invalid"
    assert reason in response.json()["message"]
    grant.refresh_from_db()
    assert grant.status == ConsentGrant.Status.ACTIVE


@pytest.mark.parametrize("body", [{"webauthn": []}, {"webauthn": "x"}, {"webauthn": None}, {"credential": []}])
def test_wrong_types_are_validation_errors(personas: dict[str, Any], template: Any, body: dict[str, Any]) -> None:
    grant = skip_statement(draft_grant(personas, template))
    url = "/api/v1/consent/passkeys/" if "credential" in body else f"/api/v1/consent/grants/{grant.public_id}/sign/"
    response = _iris(personas).post(url, body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
