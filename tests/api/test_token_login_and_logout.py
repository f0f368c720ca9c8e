from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.tokens import digest_of

URL = "/api/v1/auth/token/"


def test_it_returns_a_token_that_authenticates_later_requests(personas: dict[str, Any]) -> None:
    client = APIClient()
    response = client.post(URL, {"email": "Alice@Acme.example", "password": "alice-password-1"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert response.json()["user"]["email"] == "alice@acme.example"
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/me/").json()["email"] == "alice@acme.example"


def test_wrong_credentials_get_a_400_with_a_code_and_no_token(personas: dict[str, Any]) -> None:
    response = APIClient().post(URL, {"email": "alice@acme.example", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
    unknown = APIClient().post(URL, {"email": "nobody@acme.example", "password": "wrong"}, format="json")
    assert unknown.json() == response.json()  # no hint whether the account exists
    assert not ApiToken.objects.exists()


def test_an_inactive_user_cannot_log_in(personas: dict[str, Any]) -> None:
    alice = personas["alice"]
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    response = APIClient().post(URL, {"email": "alice@acme.example", "password": "alice-password-1"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"


def test_delete_logs_out_by_destroying_the_token(personas: dict[str, Any]) -> None:
    client = APIClient()
    token = client.post(URL, {"email": "bob@acme.example", "password": "bob-password-1"}, format="json").json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.delete(URL).status_code == 204
    assert not ApiToken.objects.filter(digest=digest_of(token)).exists()
    after = client.get("/api/v1/me/")
    assert after.status_code in {401, 403}
    assert after.json()["code"] == "authentication_failed"


def test_delete_without_authentication_is_refused() -> None:
    response = APIClient().delete(URL)
    assert response.status_code in {401, 403}
    assert response.json()["code"] == "not_authenticated"
