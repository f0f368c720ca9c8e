from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.services import is_real_name_verified

URL = "/api/v1/real-name-records/"
BOB_ID = "11010519491231002X"


def _payload(personas: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    payload = {
        "user": str(personas["bob"].public_id),
        "legal_name": "Robert Example",
        "id_number": BOB_ID,
        "date_of_birth": "1949-12-31",
        "method": "face_liveness",
    }
    payload.update(overrides)
    return payload


def test_staff_record_a_verification_and_the_answer_has_no_number_or_hash(
    client_for: Callable[[str], APIClient], personas: dict[str, Any]
) -> None:
    response = client_for("sam").post(URL, _payload(personas), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["id_number_last4"] == "002X"
    assert body["method"] == "face_liveness"
    assert body["is_adult"] is True
    assert body["verified_at"]
    text = json.dumps(body)
    assert BOB_ID not in text
    assert "hash" not in text
    assert "Robert" not in text
    assert "1949" not in text
    assert is_real_name_verified(personas["bob"])


@pytest.mark.parametrize("persona", ["alice", "bob", "audrey", "paula"])
def test_everyone_but_staff_is_refused(
    client_for: Callable[[str], APIClient], personas: dict[str, Any], persona: str
) -> None:
    response = client_for(persona).post(URL, _payload(personas), format="json")
    assert response.status_code == 403
    assert not is_real_name_verified(personas["bob"])


def test_a_minor_is_recorded_as_not_adult(client_for: Callable[[str], APIClient], personas: dict[str, Any]) -> None:
    from django.utils import timezone

    from accounts.identity import gb11643_check_character

    born = timezone.localdate().replace(year=timezone.localdate().year - 16, month=1, day=1)
    first17 = f"110105{born:%Y%m%d}001"
    number = first17 + gb11643_check_character(first17)
    response = client_for("sam").post(
        URL, _payload(personas, id_number=number, date_of_birth=born.isoformat()), format="json"
    )
    assert response.status_code == 201
    assert response.json()["is_adult"] is False


def test_a_bad_number_and_a_reused_number_are_refused_with_codes(
    client_for: Callable[[str], APIClient], personas: dict[str, Any]
) -> None:
    sam = client_for("sam")
    bad = sam.post(URL, _payload(personas, id_number="110105194912310021"), format="json")
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_id_number")
    assert "110105194912310021" not in bad.content.decode()
    assert sam.post(URL, _payload(personas), format="json").status_code == 201
    reused = sam.post(URL, _payload(personas, user=str(personas["victor"].public_id)), format="json")
    assert (reused.status_code, reused.json()["code"]) == (409, "id_number_in_use")
    assert not is_real_name_verified(personas["victor"])


def test_an_unknown_user_is_refused(client_for: Callable[[str], APIClient], personas: dict[str, Any]) -> None:
    response = client_for("sam").post(
        URL, _payload(personas, user="00000000-0000-4000-8000-000000000000"), format="json"
    )
    assert (response.status_code, response.json()["code"]) == (400, "unknown_user")
