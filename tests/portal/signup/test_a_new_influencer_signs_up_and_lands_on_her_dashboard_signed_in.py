"""A visitor signs up at /signup/ as an influencer: the account and influencer profile exist, both are ledgered, and
she lands on her dashboard signed in, with the influencer section in her navigation."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import InfluencerProfile, User
from audit.models import LedgerEvent

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_signing_up_creates_a_ledgered_influencer_and_signs_her_in(client: Client) -> None:
    page = client.get("/signup/")
    assert page.status_code == 200
    assert b"Create your account" in page.content

    response = client.post(
        "/signup/",
        {
            "display_name": "Nina",
            "stage_name": "Nina Sings",
            "email": "Nina@Creators.example",
            "password": "violet-harbour-42",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
    nina = User.objects.get(email="nina@creators.example")
    assert nina.check_password("violet-harbour-42")
    profile = InfluencerProfile.objects.get(user=nina)
    assert profile.stage_name == "Nina Sings"
    assert LedgerEvent.objects.filter(kind="user.created", subject=f"user:{nina.public_id}").count() == 1
    assert LedgerEvent.objects.filter(kind="influencer.created", subject=f"influencer:{profile.public_id}").count() == 1
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    assert b"Welcome, Nina" in dashboard.content
    assert b'data-nav="influencer"' in dashboard.content or b"My consents" in dashboard.content


def test_the_login_page_links_to_sign_up(client: Client) -> None:
    assert b'href="/signup/"' in client.get("/login/").content


def test_a_signed_in_person_is_sent_on_to_the_dashboard(client: Client) -> None:
    client.post(
        "/signup/",
        {
            "display_name": "Nina",
            "stage_name": "Nina Sings",
            "email": "nina@creators.example",
            "password": "violet-harbour-42",
        },
    )
    response = client.get("/signup/")
    assert response.status_code == 302
    assert response["Location"] == "/"
