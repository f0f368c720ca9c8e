"""Bad input answers a 4xx JSON error with a stable code and a message, and changes nothing in the database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from rest_framework.test import APIClient

ORGS = "/api/v1/organisations/"


@pytest.fixture
def unchanged(db_counts: Callable[[], dict[str, int]], personas: dict[str, Any]) -> Any:
    before = db_counts()
    yield
    assert db_counts() == before


def _assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert isinstance(body["message"], str)
    assert body["message"]
    return body


def test_malformed_json_is_malformed_json(client_for: Callable[[str], APIClient], unchanged: None) -> None:
    response = client_for("alice").post(ORGS, data='{"name": "Broken", "slug": ', content_type="application/json")
    _assert_error(response, 400, "malformed_json")


def test_unknown_fields_are_named(client_for: Callable[[str], APIClient], unchanged: None) -> None:
    response = client_for("alice").post(
        ORGS, {"name": "Initech", "slug": "initech", "owner": "someone", "plan": "gold"}, format="json"
    )
    body = _assert_error(response, 400, "unknown_field")
    assert set(body["errors"]) == {"owner", "plan"}
    assert body["error_codes"] == {"owner": ["unknown_field"], "plan": ["unknown_field"]}


def test_read_only_fields_count_as_unknown_on_input(
    client_for: Callable[[str], APIClient], personas: dict[str, Any], unchanged: None
) -> None:
    url = f"{ORGS}{personas['acme'].public_id}/"
    response = client_for("alice").patch(url, {"public_id": "00000000-0000-4000-8000-000000000000"}, format="json")
    _assert_error(response, 400, "unknown_field")


@pytest.mark.parametrize(
    "payload",
    [
        {"name": ["a", "list"], "slug": "initech"},
        {"name": "Initech", "slug": "not a slug!"},
        {"name": "Initech"},
        {"name": {"nested": True}, "slug": 12},
    ],
)
def test_wrong_types_and_missing_fields_are_invalid(
    client_for: Callable[[str], APIClient], unchanged: None, payload: dict[str, Any]
) -> None:
    body = _assert_error(client_for("alice").post(ORGS, payload, format="json"), 400, "invalid")
    assert body["errors"]


def test_a_json_body_that_is_not_an_object_is_invalid(client_for: Callable[[str], APIClient], unchanged: None) -> None:
    _assert_error(client_for("alice").post(ORGS, data="[1, 2]", content_type="application/json"), 400, "invalid")


def test_an_oversized_body_is_request_too_large(client_for: Callable[[str], APIClient], unchanged: None) -> None:
    padding = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client_for("alice").post(
        ORGS, data=f'{{"name": "{padding}", "slug": "big"}}', content_type="application/json"
    )
    _assert_error(response, 413, "request_too_large")


def test_missing_authentication_is_not_authenticated(unchanged: None) -> None:
    for method, url in (("get", ORGS), ("post", ORGS), ("get", "/api/v1/me/")):
        response = getattr(APIClient(), method)(url, {"name": "X", "slug": "x"}, format="json")
        assert response.status_code in {401, 403}
        assert response.json()["code"] == "not_authenticated"


def test_a_bad_token_is_authentication_failed(unchanged: None) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get(ORGS)
    assert response.status_code in {401, 403}
    assert response.json()["code"] == "authentication_failed"


def test_another_tenants_ids_are_not_found(
    client_for: Callable[[str], APIClient], personas: dict[str, Any], unchanged: None
) -> None:
    charlie = client_for("charlie")
    acme = personas["acme"].public_id
    victor = personas["victor"].public_id
    for method, url, payload in (
        ("get", f"{ORGS}{acme}/", None),
        ("patch", f"{ORGS}{acme}/", {"name": "Mine now"}),
        ("get", f"{ORGS}{acme}/members/", None),
        ("post", f"{ORGS}{acme}/invitations/", {"email": "charlie@globex.example", "role": "owner"}),
        ("patch", f"{ORGS}{acme}/members/{victor}/", {"role": "owner"}),
        ("delete", f"{ORGS}{acme}/members/{victor}/", None),
    ):
        _assert_error(getattr(charlie, method)(url, payload, format="json"), 404, "not_found")


def test_an_id_that_is_not_a_uuid_is_not_found(client_for: Callable[[str], APIClient], unchanged: None) -> None:
    _assert_error(client_for("alice").get(f"{ORGS}1/"), 404, "not_found")


def test_a_wrong_content_type_is_unsupported_media_type(
    client_for: Callable[[str], APIClient], unchanged: None
) -> None:
    form = client_for("alice").post(
        ORGS, data="name=Initech&slug=initech", content_type="application/x-www-form-urlencoded"
    )
    _assert_error(form, 415, "unsupported_media_type")
    text = client_for("alice").post(ORGS, data="name: Initech", content_type="text/plain")
    _assert_error(text, 415, "unsupported_media_type")


def test_a_method_the_route_does_not_serve_is_method_not_allowed(
    client_for: Callable[[str], APIClient], unchanged: None
) -> None:
    _assert_error(client_for("alice").delete(ORGS), 405, "method_not_allowed")
