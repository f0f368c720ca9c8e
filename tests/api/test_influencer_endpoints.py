from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rest_framework.test import APIClient

URL = "/api/v1/influencers/"


def test_a_user_creates_their_own_profile_and_reads_it_back(client_for: Callable[[str], APIClient]) -> None:
    bob = client_for("bob")
    assert bob.get(f"{URL}me/").status_code == 404
    created = bob.post(URL, {"stage_name": "Bob Live"}, format="json")
    assert created.status_code == 201
    assert bob.get(f"{URL}me/").json() == created.json()


def test_a_second_profile_is_a_conflict(client_for: Callable[[str], APIClient], personas: dict[str, Any]) -> None:
    response = client_for("iris").post(URL, {"stage_name": "Iris Two"}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "influencer_exists")
    assert client_for("iris").get(f"{URL}me/").json()["stage_name"] == "Iris Live"


def test_a_profile_cannot_be_made_for_someone_else(
    client_for: Callable[[str], APIClient], personas: dict[str, Any]
) -> None:
    response = client_for("bob").post(
        URL, {"stage_name": "Not Bob", "user": str(personas["victor"].public_id)}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (400, "unknown_field")
