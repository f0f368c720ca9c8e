from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse


def test_it_rejects_a_wrong_password_with_a_clear_message(client: Client, personas: dict[str, Any]) -> None:
    response = client.post(reverse("portal:login"), {"username": "alice@acme.example", "password": "wrong"})

    assert response.status_code == 200
    assert "That email and password do not match an account." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_signs_in_with_a_capitalised_email_and_lands_on_the_dashboard(
    client: Client, personas: dict[str, Any]
) -> None:
    response = client.post(
        reverse("portal:login"), {"username": " Alice@Acme.example ", "password": "alice-password-1"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")
    assert client.session["_auth_user_id"] == str(personas["alice"].pk)


def test_it_does_not_follow_a_next_url_to_another_site(client: Client, personas: dict[str, Any]) -> None:
    response = client.post(
        reverse("portal:login"),
        {"username": "alice@acme.example", "password": "alice-password-1", "next": "https://evil.example/"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")


def test_it_logs_out_on_post_and_returns_to_login(client: Client, personas: dict[str, Any]) -> None:
    client.force_login(personas["alice"])

    response = client.post(reverse("portal:logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:login")
    assert "_auth_user_id" not in client.session


def test_it_does_not_log_out_on_get(client: Client, personas: dict[str, Any]) -> None:
    client.force_login(personas["alice"])

    response = client.get(reverse("portal:logout"))

    assert response.status_code == 405
    assert client.session["_auth_user_id"] == str(personas["alice"].pk)


def test_every_signed_in_page_shows_who_is_signed_in_and_a_logout_form(
    client: Client, personas: dict[str, Any]
) -> None:
    client.force_login(personas["victor"])

    html = client.get(reverse("portal:dashboard")).content.decode()

    assert "victor@acme.example" in html
    assert f'<form class="account__logout" method="post" action="{reverse("portal:logout")}">' in html
