from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse


def test_it_sends_anonymous_visitors_of_the_dashboard_to_login_with_next(client: Client, db: Any) -> None:
    response = client.get(reverse("portal:dashboard"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('portal:login')}?next=/"


def test_it_shows_the_login_page_to_anonymous_visitors_without_any_navigation(client: Client, db: Any) -> None:
    response = client.get(reverse("portal:login"))

    assert response.status_code == 200
    assert response.context["nav_items"] == []
    assert b'name="csrfmiddlewaretoken"' in response.content


def test_it_sends_a_signed_in_person_from_login_on_to_the_dashboard(client: Client, personas: dict[str, Any]) -> None:
    client.force_login(personas["alice"])

    response = client.get(reverse("portal:login"))

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")
