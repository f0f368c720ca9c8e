from __future__ import annotations

from typing import Any

from accounts.models import Membership
from accounts.selectors import get_membership, is_auditor_of, list_organisations_for, roles_for
from accounts.services import create_user


def test_a_member_lists_only_their_organisations_with_their_role(personas: dict[str, Any]) -> None:
    organisations = list(list_organisations_for(personas["bob"]))
    assert [(org.slug, org.my_role) for org in organisations] == [("acme", "operator")]
    assert [org.slug for org in list_organisations_for(personas["charlie"])] == ["globex"]
    assert list(list_organisations_for(personas["iris"])) == []


def test_staff_and_platform_auditors_list_every_organisation(personas: dict[str, Any]) -> None:
    paula = create_user(email="paula@audit.example", password="paula-password-1", is_platform_auditor=True)
    for user in (personas["sam"], paula):
        assert [(org.slug, org.my_role) for org in list_organisations_for(user)] == [
            ("acme", None),
            ("globex", None),
        ]


def test_roles_and_membership_are_per_organisation(personas: dict[str, Any]) -> None:
    alice, acme, globex = personas["alice"], personas["acme"], personas["globex"]
    assert roles_for(alice, acme) == {Membership.Role.OWNER}
    assert roles_for(alice, globex) == set()
    membership = get_membership(alice, acme)
    assert membership is not None
    assert membership.role == "owner"
    assert get_membership(alice, globex) is None


def test_auditing_is_per_organisation_for_members_and_platform_wide_for_platform_auditors(
    personas: dict[str, Any],
) -> None:
    paula = create_user(email="paula@audit.example", password="paula-password-1", is_platform_auditor=True)
    acme, globex = personas["acme"], personas["globex"]
    assert is_auditor_of(personas["audrey"], acme)
    assert not is_auditor_of(personas["audrey"], globex)
    assert is_auditor_of(paula, acme)
    assert is_auditor_of(paula, globex)
    assert not is_auditor_of(personas["alice"], acme)
    assert not is_auditor_of(personas["sam"], acme)
