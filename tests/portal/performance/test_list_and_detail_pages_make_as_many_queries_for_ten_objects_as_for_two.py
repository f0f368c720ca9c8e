"""No N+1 on the portal's main list and detail pages: each page makes exactly as many SQL queries when it lists ten
objects as when it lists two. Each page is opened once before counting, so per-process caches (the consent gate's,
the session's) are warm in both counts; the objects are made with the real services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@dataclass(frozen=True)
class Page:
    who: str
    url: Callable[[dict[str, Any]], str]
    # add(world, i): make the i-th listed object (i counts from 0)
    add: Callable[[dict[str, Any], int], None]
    # what the page shows of the tenth object, so the count is of a page that lists them all
    tenth: Callable[[dict[str, Any]], str]


def _product(world: dict[str, Any], i: int) -> None:
    from streaming.catalog import create_product

    create_product(
        organisation=world["acme"], actor=world["alice"], sku=f"SKU-{i}", name=f"口红 {i}", price="99.00",
        category="cosmetics", selling_points=["持久"],
    )  # fmt: skip


def _faq(world: dict[str, Any], i: int) -> None:
    from streaming.catalog import create_faq_entry

    create_faq_entry(
        product=world["product"], actor=world["alice"], language="zh", question=f"问题 {i}？", answer="好。"
    )


def _member(world: dict[str, Any], i: int) -> None:
    from accounts.invitations import add_member_with_recorded_acceptance
    from accounts.services import create_user

    user = create_user(email=f"member{i}@acme.example", password=None, display_name=f"Member {i}")
    add_member_with_recorded_acceptance(organisation=world["acme"], user=user, role="viewer", actor=world["alice"])


def _script(world: dict[str, Any], i: int) -> None:
    from streaming.scripts import create_script

    create_script(
        organisation=world["acme"], actor=world["alice"], title=f"话术 {i}", language="zh",
        lines=[{"text": "喜欢的朋友点击下方链接。", "language": "zh", "intent": "cart"}],
    )  # fmt: skip


def _ledger_event(world: dict[str, Any], i: int) -> None:
    from accounts.services import update_organisation
    from audit.models import LedgerEvent

    update_organisation(organisation=world["acme"], actor=world["alice"], name=f"Acme {i}")
    world["last_event"] = LedgerEvent.objects.filter(kind="organisation.updated").latest("pk")


def _api_token(world: dict[str, Any], i: int) -> None:
    from accounts.tokens import issue_api_token

    token, _raw = issue_api_token(user=world["alice"])
    world["last_token"] = token


PAGES = {
    "product list": Page("alice", lambda w: reverse("catalog:list"), _product, lambda w: "口红 9"),
    "product with its FAQ": Page(
        "alice",
        lambda w: reverse("catalog:product", kwargs={"product_id": w["product"].public_id}),
        _faq,
        lambda w: "问题 9？",
    ),
    "members": Page(
        "alice",
        lambda w: reverse("accounts-pages:members", kwargs={"public_id": w["acme"].public_id}),
        _member,
        lambda w: "member9@acme.example",
    ),
    "owner's dashboard with its members": Page(
        "alice", lambda w: reverse("portal:dashboard"), _member, lambda w: "member9@acme.example"
    ),
    "script list": Page("alice", lambda w: reverse("scripts:list"), _script, lambda w: "话术 9"),
    "ledger events": Page(
        "audrey",
        lambda w: reverse("ledger-pages:events"),
        _ledger_event,
        lambda w: f'data-event="{w["last_event"].pk}"',
    ),
    "API tokens": Page("alice", lambda w: reverse("portal:api-tokens"), _api_token, lambda w: w["last_token"].prefix),
}


def _queries(client: Client, url: str) -> tuple[int, str]:
    assert client.get(url).status_code == 200  # warm the caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


@pytest.mark.parametrize("name", list(PAGES))
def test_the_page_makes_as_many_queries_for_ten_objects_as_for_two(personas: dict[str, Any], name: str) -> None:
    from streaming.catalog import create_product

    page = PAGES[name]
    world = dict(personas)
    world["product"] = create_product(
        organisation=personas["acme"], actor=personas["alice"], sku="LIP-01", name="丝绒口红", price="129.00",
        category="cosmetics",
    )  # fmt: skip
    client = Client()
    client.force_login(personas[page.who])
    for i in range(2):
        page.add(world, i)
    with_two, _body = _queries(client, page.url(world))
    for i in range(2, 10):
        page.add(world, i)
    with_ten, body = _queries(client, page.url(world))

    assert page.tenth(world) in body, f"{name}: the page does not show the tenth object"
    assert with_ten == with_two, f"{name}: {with_two} queries with 2 objects, {with_ten} with 10 (N+1)"
