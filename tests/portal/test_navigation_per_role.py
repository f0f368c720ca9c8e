from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("iris", ["dashboard", "influencer", "consents", "likeness", "invitations"]),
        (
            "alice",
            [
                "dashboard",
                "brands",
                "brand-consents-acme",
                "brand-dashboard-acme",
                "members-acme",
                "invitations",
                "render",
                "catalog",
                "scripts",
                "streams",
                "compliance",
            ],
        ),
        (
            "victor",
            [
                "dashboard",
                "brands",
                "brand-consents-acme",
                "brand-dashboard-acme",
                "invitations",
                "render",
                "catalog",
                "scripts",
                "streams",
            ],
        ),
        (
            "charlie",
            [
                "dashboard",
                "brands",
                "brand-consents-globex",
                "brand-dashboard-globex",
                "members-globex",
                "invitations",
                "render",
                "catalog",
                "scripts",
                "streams",
                "compliance",
            ],
        ),
        ("bob", ["dashboard", "invitations", "render", "catalog", "scripts", "streams", "operator"]),
        (
            "audrey",
            [
                "dashboard",
                "invitations",
                "render",
                "catalog",
                "scripts",
                "streams",
                "audit",
                "audit-exports",
                "ledger",
                "compliance",
            ],
        ),
        (
            "sam",
            [
                "dashboard",
                "invitations",
                "render",
                "catalog",
                "scripts",
                "streams",
                "audit-exports",
                "ledger",
                "compliance",
                "consent-review",
                "brand-reviews",
            ],
        ),
    ],
)
def test_it_shows_navigation_for_the_roles_a_person_holds(
    client: Client, personas: dict[str, Any], persona: str, expected: list[str]
) -> None:
    client.force_login(personas[persona])

    response = client.get(reverse("portal:dashboard"))

    assert [item.key for item in response.context["nav_items"]] == expected


def test_a_person_with_several_roles_gets_every_section(client: Client, personas: dict[str, Any]) -> None:
    iris = personas["iris"]
    iris.is_platform_auditor = True
    iris.save(update_fields=["is_platform_auditor"])
    client.force_login(iris)

    response = client.get(reverse("portal:dashboard"))

    assert [item.key for item in response.context["nav_items"]] == [
        "dashboard",
        "influencer",
        "consents",
        "likeness",
        "invitations",
        "render",
        "catalog",
        "scripts",
        "streams",
        "audit",
        "audit-exports",
        "ledger",
        "compliance",
    ]
    html = response.content.decode()
    assert 'id="influencer"' in html
    assert 'id="audit"' in html


def test_a_person_without_any_role_is_told_how_to_get_one(client: Client, personas: dict[str, Any]) -> None:
    nobody = User.objects.create_user(email="nobody@example.com", password="nobody-password-1")
    client.force_login(nobody)

    response = client.get(reverse("portal:dashboard"))

    # Invitations are how a person without a role gets one.
    assert [item.key for item in response.context["nav_items"]] == ["dashboard", "invitations"]
    assert "Your account has no role yet" in response.content.decode()
