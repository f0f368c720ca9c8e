"""The portal dashboard tells an influencer what state their consents are in, and links to them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.consent.helpers import active_grant, draft_grant

pytestmark = pytest.mark.django_db


def test_an_influencer_without_consents_is_invited_to_grant_one(client: Client, personas: dict[str, Any]) -> None:
    client.force_login(personas["iris"])

    html = client.get(reverse("portal:dashboard")).content.decode()

    assert "You have not granted any consent yet." in html
    assert reverse("consent:wizard") in html


def test_an_influencer_sees_how_many_consents_are_in_each_state(
    client: Client, personas: dict[str, Any], template: Any, passkey: Any
) -> None:
    active_grant(personas, template, passkey)
    draft_grant(personas, template)
    client.force_login(personas["iris"])

    response = client.get(reverse("portal:dashboard"))

    assert response.context["consent_counts"] == [("Waiting for the statement video", 1), ("Active", 1)]
    html = response.content.decode()
    assert "You have not granted any consent yet." not in html
    assert reverse("consent:my-consents") in html
