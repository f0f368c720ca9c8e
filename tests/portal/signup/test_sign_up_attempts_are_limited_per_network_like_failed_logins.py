"""Sign-up attempts from one network are limited to the failed-login budget (AXES_FAILURE_LIMIT within
AXES_COOLOFF_TIME): past it, the page answers 429 with a sentence and Retry-After, and no account is made."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_fourth_attempt_from_one_address_is_refused(client: Client) -> None:
    for attempt in range(3):
        response = client.post(
            "/signup/",
            {"display_name": "Bot", "stage_name": "Bot", "email": f"bot{attempt}@spam.example", "password": "short"},
        )
        assert response.status_code == 400

    response = client.post(
        "/signup/",
        {"display_name": "Bot", "stage_name": "Bot", "email": "bot9@spam.example", "password": "violet-harbour-42"},
    )

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many sign-up attempts from this network." in response.content.decode()
    assert not User.objects.filter(email="bot9@spam.example").exists()


@override_settings(AXES_FAILURE_LIMIT=1)
def test_another_address_keeps_its_own_budget(client: Client) -> None:
    client.post("/signup/", {"email": "a@spam.example"}, REMOTE_ADDR="127.0.0.1")
    other = client.post(
        "/signup/",
        {
            "display_name": "Nina",
            "stage_name": "Nina",
            "email": "nina@creators.example",
            "password": "violet-harbour-42",
        },
        REMOTE_ADDR="10.0.0.7",
    )
    from django.core.cache import cache

    from accounts.signup import SignupLimit

    cache.delete(SignupLimit.key("10.0.0.7"))
    assert other.status_code == 302
