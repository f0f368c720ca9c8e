"""Attack: 30 wrong passwords. Guessing locks the account (from any IP) and the guessing IP (for any account), on
the API token login and the portal form alike; the right password is refused during the lock-out; it lifts after
the documented cool-off (`VERACAST_LOGIN_COOLOFF_MINUTES`, counted from the last failure)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import ApiToken

TOKEN_URL = "/api/v1/auth/token/"
ATTACKER = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


def _api_login(email: str, password: str, ip: str) -> Any:
    return APIClient(REMOTE_ADDR=ip).post(TOKEN_URL, {"email": email, "password": password}, format="json")


def _page_login(email: str, password: str, ip: str) -> Any:
    return Client(REMOTE_ADDR=ip).post("/login/", {"username": email, "password": password})


def _thirty_wrong_passwords(email: str) -> list[Any]:
    return [_api_login(email, f"guess-{n}", ATTACKER) for n in range(30)]


def test_the_account_and_the_ip_are_locked_and_the_right_password_is_refused(personas: dict[str, Any]) -> None:
    answers = _thirty_wrong_passwords("alice@acme.example")
    limit = settings.AXES_FAILURE_LIMIT
    assert limit < 30
    assert [a.json()["code"] for a in answers[: limit - 1]] == ["invalid_credentials"] * (limit - 1)
    for locked in answers[limit:]:
        assert locked.status_code == 429
        assert locked.json()["code"] == "too_many_attempts"
        assert "minutes" in locked.json()["message"]
        assert int(locked["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()

    # The account: the right password, from an address that never failed, API and page.
    right = _api_login("Alice@Acme.example", "alice-password-1", ELSEWHERE)
    assert right.status_code == 429
    assert right.json()["code"] == "too_many_attempts"
    browser = Client(REMOTE_ADDR=ELSEWHERE)
    page = browser.post("/login/", {"username": "alice@acme.example", "password": "alice-password-1"})
    assert page.status_code == 429
    assert "Too many failed sign-in attempts" in page.content.decode()
    assert "_auth_user_id" not in browser.session

    # The IP: another account's right password from the guessing address.
    other = _api_login("bob@acme.example", "bob-password-1", ATTACKER)
    assert other.status_code == 429
    assert not ApiToken.objects.exists()

    # Unrelated accounts on unrelated addresses still sign in.
    assert _api_login("bob@acme.example", "bob-password-1", ELSEWHERE).status_code == 200


def test_the_portal_form_counts_too_and_shows_a_sentence(personas: dict[str, Any]) -> None:
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = _page_login("iris@creators.example", f"guess-{n}", ATTACKER)
    assert response.status_code == 429
    body = response.content.decode()
    assert "Sign-in blocked" in body
    assert f"{int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)} minutes" in body
    assert _api_login("iris@creators.example", "iris-password-1", ELSEWHERE).status_code == 429


def test_the_lock_lifts_after_the_cool_off(personas: dict[str, Any]) -> None:
    _thirty_wrong_passwords("alice@acme.example")
    assert _api_login("alice@acme.example", "alice-password-1", ATTACKER).status_code == 429
    # Let the cool-off pass: every recorded failure is older than it.
    last_failure = max(a.attempt_time for a in AccessAttempt.objects.all())
    AccessAttempt.objects.update(attempt_time=last_failure - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    response = _api_login("alice@acme.example", "alice-password-1", ATTACKER)
    assert response.status_code == 200, response.content
    assert response.json()["token"]


def test_attempts_store_no_password(personas: dict[str, Any]) -> None:
    _api_login("alice@acme.example", "my-secret-guess-1", ATTACKER)
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "alice@acme.example"
    assert attempt.ip_address == ATTACKER
    assert "my-secret-guess-1" not in f"{attempt.get_data}{attempt.post_data}"
