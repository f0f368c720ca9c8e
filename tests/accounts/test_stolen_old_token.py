"""Attack: stolen old token. A token copied from a log, a laptop or a database dump stops working: the database
holds only digests, an expired token is refused, a revoked one is refused, with one answer that tells nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from audit.models import LedgerEvent

URL = "/api/v1/auth/token/"


def _login(email: str, password: str) -> dict[str, Any]:
    response = APIClient().post(URL, {"email": email, "password": password}, format="json")
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def _me(key: str) -> Any:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/me/")


def test_the_plaintext_is_nowhere_in_the_database(personas: dict[str, Any]) -> None:
    key = _login("alice@acme.example", "alice-password-1")["token"]
    assert key.startswith("vc_")
    assert len(key) >= 40
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        rows = cursor.fetchall()
        cursor.execute("SELECT payload FROM audit_ledgerevent")
        payloads = [row[0] for row in cursor.fetchall()]
    assert len(rows) == 1
    assert all(key not in str(value) for value in rows[0])
    assert all(key not in str(payload) for payload in payloads)
    assert ApiToken.objects.get().prefix == key[:9]  # recognisable, not usable


def test_an_expired_token_is_refused(personas: dict[str, Any]) -> None:
    body = _login("alice@acme.example", "alice-password-1")
    assert _me(body["token"]).status_code == 200
    ApiToken.objects.filter(public_id=body["id"]).update(expires_at=timezone.now() - timedelta(seconds=1))
    refused = _me(body["token"])
    assert refused.status_code in {401, 403}  # 403: SessionAuthentication is asked first
    assert refused.json()["code"] == "authentication_failed"


def test_tokens_expire_after_the_configured_lifetime(personas: dict[str, Any], settings: Any) -> None:
    settings.API_TOKEN_TTL = timedelta(hours=2)
    body = _login("alice@acme.example", "alice-password-1")
    token = ApiToken.objects.get(public_id=body["id"])
    assert token.expires_at - token.created_at == timedelta(hours=2)


def test_a_revoked_token_is_refused_and_the_revocation_is_ledgered(personas: dict[str, Any]) -> None:
    stolen = _login("alice@acme.example", "alice-password-1")
    mine = _login("alice@acme.example", "alice-password-1")
    owner = APIClient()
    owner.credentials(HTTP_AUTHORIZATION=f"Token {mine['token']}")
    listed = owner.get("/api/v1/auth/tokens/").json()
    assert {row["id"] for row in listed} == {stolen["id"], mine["id"]}
    assert [row["current"] for row in listed if row["id"] == mine["id"]] == [True]
    assert all("token" not in row for row in listed)

    assert owner.delete(f"/api/v1/auth/tokens/{stolen['id']}/").status_code == 204
    refused = _me(stolen["token"])
    assert refused.status_code in {401, 403}  # 403: SessionAuthentication is asked first
    assert refused.json() == _me("vc_never-issued").json()  # the same answer as a token that never existed
    assert _me(mine["token"]).status_code == 200
    event = LedgerEvent.objects.filter(kind="api_token.revoked").get()
    assert event.payload_data["token"] == stolen["id"]


def test_nobody_revokes_or_lists_another_persons_token(personas: dict[str, Any]) -> None:
    alices = _login("alice@acme.example", "alice-password-1")
    bob = APIClient()
    bob.force_authenticate(personas["bob"])
    assert bob.get("/api/v1/auth/tokens/").json() == []
    answer = bob.delete(f"/api/v1/auth/tokens/{alices['id']}/")
    assert answer.status_code == 404
    assert _me(alices["token"]).status_code == 200


def test_use_is_recorded_to_the_minute(personas: dict[str, Any]) -> None:
    body = _login("alice@acme.example", "alice-password-1")
    assert ApiToken.objects.get().last_used_at is None
    _me(body["token"])
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    _me(body["token"])
    assert ApiToken.objects.get().last_used_at == first  # no write per request
