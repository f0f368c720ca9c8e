from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rest_framework.test import APIClient

from accounts.selectors import roles_for


def _members(personas: dict[str, Any]) -> str:
    return f"/api/v1/organisations/{personas['acme'].public_id}/members/"


def test_members_see_the_member_list(client_for: Callable[[str], APIClient], personas: dict[str, Any]) -> None:
    body = client_for("victor").get(_members(personas)).json()
    assert [(m["user"]["email"], m["role"]) for m in body["results"]] == [
        ("alice@acme.example", "owner"),
        ("bob@acme.example", "operator"),
        ("victor@acme.example", "viewer"),
        ("audrey@audit.example", "auditor"),
    ]


def test_nobody_is_added_directly_the_members_endpoint_only_lists(
    client_for: Callable[[str], APIClient], personas: dict[str, Any]
) -> None:
    response = client_for("alice").post(
        _members(personas), {"email": "iris@creators.example", "role": "viewer"}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (405, "method_not_allowed")
    assert roles_for(personas["iris"], personas["acme"]) == set()


def test_an_owner_changes_a_role_and_removes_a_member(
    client_for: Callable[[str], APIClient], personas: dict[str, Any]
) -> None:
    url = f"{_members(personas)}{personas['victor'].public_id}/"
    alice = client_for("alice")
    changed = alice.patch(url, {"role": "editor"}, format="json")
    assert (changed.status_code, changed.json()["role"]) == (200, "editor")
    assert alice.delete(url).status_code == 204
    assert roles_for(personas["victor"], personas["acme"]) == set()
    assert alice.delete(url).status_code == 404


def test_the_last_owner_cannot_demote_or_remove_themselves(
    client_for: Callable[[str], APIClient], personas: dict[str, Any]
) -> None:
    url = f"{_members(personas)}{personas['alice'].public_id}/"
    alice = client_for("alice")
    demoted = alice.patch(url, {"role": "viewer"}, format="json")
    assert (demoted.status_code, demoted.json()["code"]) == (409, "last_owner")
    removed = alice.delete(url)
    assert (removed.status_code, removed.json()["code"]) == (409, "last_owner")
    assert roles_for(personas["alice"], personas["acme"]) == {"owner"}


def test_non_owners_are_refused_and_outsiders_get_404(
    client_for: Callable[[str], APIClient], personas: dict[str, Any]
) -> None:
    url = f"{_members(personas)}{personas['victor'].public_id}/"
    assert client_for("bob").patch(url, {"role": "owner"}, format="json").status_code == 403
    assert client_for("charlie").patch(url, {"role": "owner"}, format="json").status_code == 404
    assert client_for("charlie").delete(url).status_code == 404
    assert roles_for(personas["victor"], personas["acme"]) == {"viewer"}


def test_a_user_who_is_not_a_member_of_this_organisation_is_404(
    client_for: Callable[[str], APIClient], personas: dict[str, Any]
) -> None:
    url = f"{_members(personas)}{personas['charlie'].public_id}/"
    response = client_for("alice").patch(url, {"role": "viewer"}, format="json")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert roles_for(personas["charlie"], personas["acme"]) == set()
