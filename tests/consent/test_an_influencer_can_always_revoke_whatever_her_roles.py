"""An influencer can always revoke her own consent: no role, membership, flag or hold anywhere stops her.

Each case gives iris a combination of roles (auditor of a brand, member or owner of brands, the platform auditor
flag, the staff flag, a legal hold on her data) and then revokes one grant through the API (the signed Ed25519
flow an API client uses) and another through the service (with her passkey).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from accounts.invitations import add_member_with_recorded_acceptance, invite_member
from accounts.services import create_organisation
from consent.models import ConsentGrant
from tests.consent.helpers import active_grant, revoke_with_passkey
from tests.consent.trust_helpers import register_api_key, revoke_through_api


def _auditor_of_acme(p: dict[str, Any]) -> None:
    add_member_with_recorded_acceptance(organisation=p["acme"], user=p["iris"], role="auditor", actor=p["alice"])


def _auditor_of_both_brands(p: dict[str, Any]) -> None:
    _auditor_of_acme(p)
    add_member_with_recorded_acceptance(organisation=p["globex"], user=p["iris"], role="auditor", actor=p["charlie"])


def _operator_of_acme(p: dict[str, Any]) -> None:
    add_member_with_recorded_acceptance(organisation=p["acme"], user=p["iris"], role="operator", actor=p["alice"])


def _owner_of_her_own_brand(p: dict[str, Any]) -> None:
    create_organisation(name="Iris Studio", slug="iris-studio", owner=p["iris"])


def _invited_but_not_answered(p: dict[str, Any]) -> None:
    invite_member(organisation=p["globex"], email=p["iris"].email, role="auditor", actor=p["charlie"])


def _platform_auditor(p: dict[str, Any]) -> None:
    p["iris"].is_platform_auditor = True
    p["iris"].save(update_fields=["is_platform_auditor"])


def _staff(p: dict[str, Any]) -> None:
    p["iris"].is_staff = True
    p["iris"].save(update_fields=["is_staff"])


def _legal_hold(p: dict[str, Any]) -> None:
    from consent.services import place_legal_hold

    place_legal_hold(influencer=p["iris"].influencer, actor=p["sam"], reason="Court order 2026-17")


def _everything(p: dict[str, Any]) -> None:
    for setup in (_auditor_of_both_brands, _owner_of_her_own_brand, _platform_auditor, _staff, _legal_hold):
        setup(p)


CASES: dict[str, Callable[[dict[str, Any]], None]] = {
    "no role": lambda p: None,
    "auditor of the brand she consented to": _auditor_of_acme,
    "auditor of two brands": _auditor_of_both_brands,
    "operator of the brand she consented to": _operator_of_acme,
    "owner of her own brand": _owner_of_her_own_brand,
    "invited as auditor, not answered": _invited_but_not_answered,
    "platform auditor": _platform_auditor,
    "platform staff": _staff,
    "legal hold on her data": _legal_hold,
    "all of these at once": _everything,
}


@pytest.mark.parametrize("case", list(CASES))
def test_an_influencer_revokes_through_the_api_and_the_service_whatever_her_roles(
    personas: dict[str, Any], template: Any, passkey: Any, client: Client, case: str
) -> None:
    iris = personas["iris"]
    by_api = active_grant(personas, template, passkey)
    by_service = active_grant(personas, template, passkey, platforms=("douyin",))
    client.force_login(iris)
    private, key_id = register_api_key(client)  # registering her key is one of her own writes too

    CASES[case](personas)
    iris.refresh_from_db()

    revoked = revoke_through_api(client, str(by_api.public_id), private, key_id)
    assert revoked.status_code == 200, revoked.content
    assert revoked.json()["status"] == "revoked"
    assert revoke_with_passkey(by_service, passkey, iris).status == ConsentGrant.Status.REVOKED
    assert set(ConsentGrant.objects.filter(influencer__user=iris).values_list("status", flat=True)) == {"revoked"}
