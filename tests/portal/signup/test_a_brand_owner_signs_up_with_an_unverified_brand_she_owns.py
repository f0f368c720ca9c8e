"""A visitor signs up at /signup/brand/ with a brand: she owns the new brand, which starts unverified; account and
brand are ledgered; she lands on her dashboard signed in. A name that looks like a verified brand is refused with a
sentence and nothing is made."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from accounts.models import Membership, Organisation, User
from audit.models import LedgerEvent

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_signing_up_for_a_brand_makes_her_its_owner(client: Client) -> None:
    assert b"Create a brand account" in client.get("/signup/").content  # the influencer page links to it

    response = client.post(
        "/signup/brand/",
        {
            "display_name": "Olivia",
            "organisation_name": "Oolong Tea House 乌龙茶馆",
            "email": "olivia@oolong.example",
            "password": "violet-harbour-42",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
    olivia = User.objects.get(email="olivia@oolong.example")
    membership = Membership.objects.get(user=olivia)
    assert membership.role == Membership.Role.OWNER
    brand = membership.organisation
    assert brand.name == "Oolong Tea House 乌龙茶馆"
    assert brand.slug.startswith("oolong-tea-house-")
    assert brand.verification_status == Organisation.Verification.UNVERIFIED
    assert LedgerEvent.objects.filter(kind="user.created", subject=f"user:{olivia.public_id}").count() == 1
    assert LedgerEvent.objects.filter(kind="organisation.created", subject=f"organisation:{brand.public_id}").exists()
    assert b"Oolong Tea House" in client.get("/").content


def test_a_name_like_a_verified_brand_is_refused(client: Client, personas: dict[str, Any]) -> None:
    response = client.post(
        "/signup/brand/",
        {
            "display_name": "Mallory",
            "organisation_name": "Acme",
            "email": "m@fake.example",
            "password": "violet-harbour-42",
        },
        HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9",
    )

    assert response.status_code == 400
    assert "此名称与一个已核验的品牌相似。" in response.content.decode()
    assert not User.objects.filter(email="m@fake.example").exists()
    assert Organisation.objects.filter(name="Acme").count() == 1
