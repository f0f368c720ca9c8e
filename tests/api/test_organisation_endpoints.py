from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import Membership
from accounts.services import create_organisation

URL = "/api/v1/organisations/"


def test_any_authenticated_user_creates_a_brand_and_becomes_its_owner(
    client_for: Callable[[str], APIClient], personas: dict[str, Any]
) -> None:
    response = client_for("iris").post(URL, {"name": "Iris Media", "slug": "iris-media"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["slug"] == "iris-media"
    assert body["my_role"] == "owner"
    assert Membership.objects.get(organisation__public_id=body["public_id"]).user == personas["iris"]


def test_a_taken_slug_is_a_conflict(client_for: Callable[[str], APIClient]) -> None:
    response = client_for("iris").post(URL, {"name": "Acme Two", "slug": "acme"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "slug_taken"


def test_the_list_shows_only_my_organisations_with_my_role(client_for: Callable[[str], APIClient]) -> None:
    body = client_for("bob").get(URL).json()
    assert body["count"] == 1
    assert [(org["slug"], org["my_role"]) for org in body["results"]] == [("acme", "operator")]
    assert client_for("iris").get(URL).json()["count"] == 0


def test_the_list_uses_a_constant_number_of_queries(
    client_for: Callable[[str], APIClient], personas: dict[str, Any]
) -> None:
    alice = personas["alice"]
    client = client_for("alice")
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for n in range(5):
        create_organisation(name=f"Brand {n}", slug=f"brand-{n}", owner=alice)
    with CaptureQueriesContext(connection) as many:
        body = client.get(URL).json()
    assert body["count"] == 6
    # One COUNT for the pagination and one SELECT for the page, whatever the number of organisations.
    assert len(many.captured_queries) == len(few.captured_queries) == 2


def test_a_member_reads_the_detail_and_an_outsider_gets_404(
    client_for: Callable[[str], APIClient], personas: dict[str, Any]
) -> None:
    url = f"{URL}{personas['acme'].public_id}/"
    assert client_for("victor").get(url).json()["name"] == "Acme"
    refused = client_for("charlie").get(url)
    assert refused.status_code == 404
    assert refused.json()["code"] == "not_found"


def test_owners_and_editors_rename_and_others_are_refused(
    client_for: Callable[[str], APIClient], personas: dict[str, Any]
) -> None:
    acme, alice = personas["acme"], personas["alice"]
    url = f"{URL}{acme.public_id}/"
    assert client_for("alice").patch(url, {"name": "Acme Corp"}, format="json").json()["name"] == "Acme Corp"
    from accounts.services import set_membership

    set_membership(organisation=acme, user=personas["victor"], role="editor", actor=alice)
    assert client_for("victor").patch(url, {"name": "Acme Inc"}, format="json").status_code == 200
    refused = client_for("bob").patch(url, {"name": "Bob's Acme"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    acme.refresh_from_db()
    assert acme.name == "Acme Inc"


def test_an_auditor_cannot_write_to_the_organisation_they_audit_but_may_found_their_own(
    client_for: Callable[[str], APIClient], personas: dict[str, Any]
) -> None:
    url = f"{URL}{personas['acme'].public_id}/"
    refused = client_for("audrey").patch(url, {"name": "Audited"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "auditor_read_only"
    # The role is Acme's: it restricts nothing outside Acme.
    own = client_for("audrey").post(URL, {"name": "Audrey Ltd", "slug": "audrey"}, format="json")
    assert own.status_code == 201
    renamed = client_for("audrey").patch(f"{URL}{own.json()['public_id']}/", {"name": "Audrey Co"}, format="json")
    assert renamed.status_code == 200
