from __future__ import annotations

import json
from typing import Any

from rest_framework.test import APIClient


def test_it_shows_the_user_memberships_profile_and_real_name_status(personas: dict[str, Any]) -> None:
    client = APIClient()
    client.force_authenticate(personas["iris"])
    body = client.get("/api/v1/me/").json()
    assert body["email"] == "iris@creators.example"
    assert body["public_id"] == str(personas["iris"].public_id)
    assert body["memberships"] == []
    assert body["influencer"]["stage_name"] == "Iris Live"
    assert body["real_name"]["verified"] is True
    assert body["real_name"]["method"] == "id_card_nfc"
    assert body["real_name"]["is_adult"] is True
    text = json.dumps(body)
    for secret in ("Iris Example", "1990", "110101", "id_number_hash", "date_of_birth", "legal_name"):
        assert secret not in text


def test_a_member_sees_their_roles_and_an_unverified_status(personas: dict[str, Any]) -> None:
    client = APIClient()
    client.force_authenticate(personas["bob"])
    body = client.get("/api/v1/me/").json()
    assert body["memberships"] == [
        {
            "organisation": {"public_id": str(personas["acme"].public_id), "name": "Acme", "slug": "acme"},
            "role": "operator",
        }
    ]
    assert body["influencer"] is None
    assert body["real_name"] == {"verified": False, "method": None, "verified_at": None, "is_adult": None}
