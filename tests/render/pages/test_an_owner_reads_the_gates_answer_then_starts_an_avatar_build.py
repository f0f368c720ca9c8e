"""On "Build an avatar", a brand owner chooses one of the consents that name the brand and a use, reads the consent
gate's answer as a sentence (allowed, or refused with what the chosen consent does not cover), and only then starts
the build; viewers and brands without consents are told why they cannot, and nothing is created."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from render.models import Avatar
from tests.render.helpers import grant_for, store_sample

pytestmark = [pytest.mark.django_db]


def _client(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_the_gate_answers_before_the_build_and_the_build_is_queued(personas: dict[str, Any]) -> None:
    grant = grant_for(personas)
    store_sample(personas["iris"].influencer)
    alice = _client(personas["alice"])
    use = {"grant": str(grant.public_id), "purpose": "livestream_ecommerce", "platform": "douyin"}

    form = alice.get("/render/avatars/new/").content.decode()
    assert "Iris Live" in form
    assert str(grant.public_id) in form

    allowed = alice.get("/render/avatars/new/", use).content.decode()
    assert "The consent gate allows it: Iris Live&#x27;s consent covers Face likeness" in allowed
    assert 'data-testid="start-build"' in allowed

    refused = alice.get("/render/avatars/new/", {**use, "purpose": "short_video", "platform": "kuaishou"})
    html = refused.content.decode()
    assert "This influencer has not given you consent for this use." in html
    assert "This consent does not cover Short video." in html
    assert "This consent does not cover Kuaishou." in html
    assert 'data-testid="start-build"' not in html

    chinese = _client(personas["alice"], "zh-CN").get("/render/avatars/new/", use).content.decode()
    assert "同意网关允许" in chinese

    started = alice.post("/render/avatars/new/", {**use, "brand": str(personas["acme"].public_id)})
    avatar = Avatar.objects.get(brand=personas["acme"])
    assert started.status_code == 302
    assert started["Location"] == f"/render/avatars/{avatar.public_id}/"
    assert avatar.grant_id == grant.pk
    assert avatar.purpose == "livestream_ecommerce"


def test_a_refused_start_is_a_sentence_and_creates_nothing(personas: dict[str, Any]) -> None:
    grant = grant_for(personas)
    store_sample(personas["iris"].influencer)
    use = {"grant": str(grant.public_id), "purpose": "short_video", "platform": "douyin"}
    response = _client(personas["alice"], "zh-CN").post("/render/avatars/new/", use)
    assert response.status_code == 200
    assert "该达人未就此用途向您授权" in response.content.decode()
    assert not Avatar.objects.exists()


def test_viewers_and_brands_without_consents_are_told_why(personas: dict[str, Any]) -> None:
    grant = grant_for(personas)
    viewer = _client(personas["victor"])
    page = viewer.get("/render/avatars/new/").content.decode()
    assert 'data-testid="no-brand"' in page
    viewer.post("/render/avatars/new/", {"grant": str(grant.public_id), "purpose": "livestream_ecommerce"})
    assert not Avatar.objects.exists()
    # Globex holds no consent: its owner sees none of Acme's.
    other = _client(personas["charlie"]).get("/render/avatars/new/").content.decode()
    assert 'data-testid="no-grants"' in other
    assert str(grant.public_id) not in other
