from __future__ import annotations

from typing import Any

import pytest

from accounts.models import Membership
from accounts.selectors import roles_for
from accounts.services import remove_membership, set_membership
from audit.models import LedgerEvent
from common.api import DomainError


def test_an_owner_changes_a_role_and_the_ledger_records_the_previous_one(personas: dict[str, Any]) -> None:
    acme, alice, bob = personas["acme"], personas["alice"], personas["bob"]
    set_membership(organisation=acme, user=bob, role=Membership.Role.EDITOR, actor=alice)
    assert roles_for(bob, acme) == {"editor"}
    event = LedgerEvent.objects.filter(kind="membership.set").order_by("-id").first()
    assert event is not None
    assert event.payload_data == {"user": str(bob.public_id), "role": "editor", "previous_role": "operator"}
    assert event.actor == alice.ledger_actor
    assert event.organisation_id == acme.pk


@pytest.mark.parametrize("actor", ["bob", "victor", "audrey", "charlie", "sam"])
def test_anyone_but_an_owner_is_refused(personas: dict[str, Any], actor: str) -> None:
    acme, iris = personas["acme"], personas["iris"]
    with pytest.raises(DomainError) as refused:
        set_membership(organisation=acme, user=iris, role=Membership.Role.VIEWER, actor=personas[actor])
    assert refused.value.detail.code == "owner_required"
    assert refused.value.status_code == 403
    assert roles_for(iris, acme) == set()
    with pytest.raises(DomainError):
        remove_membership(organisation=acme, user=personas["victor"], actor=personas[actor])
    assert roles_for(personas["victor"], acme) == {"viewer"}


def test_the_last_owner_cannot_be_demoted(personas: dict[str, Any]) -> None:
    acme, alice = personas["acme"], personas["alice"]
    with pytest.raises(DomainError) as refused:
        set_membership(organisation=acme, user=alice, role=Membership.Role.EDITOR, actor=alice)
    assert refused.value.detail.code == "last_owner"
    assert roles_for(alice, acme) == {"owner"}


def test_the_last_owner_cannot_be_removed(personas: dict[str, Any]) -> None:
    acme, alice = personas["acme"], personas["alice"]
    with pytest.raises(DomainError) as refused:
        remove_membership(organisation=acme, user=alice, actor=alice)
    assert refused.value.detail.code == "last_owner"
    assert roles_for(alice, acme) == {"owner"}


def test_an_owner_may_step_down_once_there_is_another_owner(personas: dict[str, Any]) -> None:
    acme, alice, bob = personas["acme"], personas["alice"], personas["bob"]
    set_membership(organisation=acme, user=bob, role=Membership.Role.OWNER, actor=alice)
    set_membership(organisation=acme, user=alice, role=Membership.Role.VIEWER, actor=alice)
    assert roles_for(alice, acme) == {"viewer"}
    remove_membership(organisation=acme, user=alice, actor=bob)
    assert roles_for(alice, acme) == set()
    removed = LedgerEvent.objects.get(kind="membership.removed")
    assert removed.payload_data == {"user": str(alice.public_id), "previous_role": "viewer"}


def test_it_refuses_an_unknown_role(personas: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as refused:
        set_membership(organisation=personas["acme"], user=personas["iris"], role="admin", actor=personas["alice"])
    assert refused.value.detail.code == "invalid_role"


def test_removing_a_non_member_is_not_found(personas: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as refused:
        remove_membership(organisation=personas["acme"], user=personas["iris"], actor=personas["alice"])
    assert refused.value.detail.code == "not_a_member"
    assert refused.value.status_code == 404


def test_setting_the_same_role_again_records_nothing(personas: dict[str, Any]) -> None:
    before = LedgerEvent.objects.count()
    set_membership(organisation=personas["acme"], user=personas["bob"], role="operator", actor=personas["alice"])
    assert LedgerEvent.objects.count() == before
