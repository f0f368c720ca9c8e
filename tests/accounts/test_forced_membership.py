"""Attack: forced membership. Nobody becomes a member of an organisation without accepting an invitation addressed
to their own e-mail: not by the owner's hand, not by someone else accepting for them, not after declining, a
cancellation or the expiry."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from accounts.invitations import accept_invitation, cancel_invitation, decline_invitation, invite_member
from accounts.models import Invitation, Membership
from accounts.selectors import roles_for
from accounts.services import set_membership
from audit.models import LedgerEvent
from common.api import DomainError


def test_an_owner_cannot_add_anyone_directly(personas: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as refused:
        set_membership(
            organisation=personas["globex"], user=personas["iris"], role="auditor", actor=personas["charlie"]
        )
    assert refused.value.detail.code == "not_a_member"
    assert "invite them" in str(refused.value.detail)
    assert not Membership.objects.filter(user=personas["iris"], organisation=personas["globex"]).exists()


def test_an_invitation_alone_makes_nobody_a_member(personas: dict[str, Any]) -> None:
    invite_member(
        organisation=personas["globex"], email=personas["iris"].email, role="auditor", actor=personas["charlie"]
    )
    assert roles_for(personas["iris"], personas["globex"]) == set()


def test_nobody_else_can_accept_or_decline_someone_elses_invitation(personas: dict[str, Any]) -> None:
    invitation = invite_member(
        organisation=personas["globex"], email=personas["iris"].email, role="viewer", actor=personas["charlie"]
    )
    for other in ("charlie", "alice", "sam"):
        with pytest.raises(Http404):
            accept_invitation(invitation=invitation, user=personas[other])
        with pytest.raises(Http404):
            decline_invitation(invitation=invitation, user=personas[other])
    assert not Membership.objects.filter(organisation=personas["globex"]).exclude(user=personas["charlie"]).exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


@pytest.mark.parametrize("closed_by", ["declined", "cancelled", "expired"])
def test_a_closed_invitation_cannot_be_accepted(personas: dict[str, Any], closed_by: str) -> None:
    iris, globex = personas["iris"], personas["globex"]
    invitation = invite_member(organisation=globex, email=iris.email, role="viewer", actor=personas["charlie"])
    if closed_by == "declined":
        decline_invitation(invitation=invitation, user=iris)
    elif closed_by == "cancelled":
        cancel_invitation(invitation=invitation, actor=personas["charlie"])
    else:
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(DomainError) as refused:
        accept_invitation(invitation=invitation, user=iris)
    assert refused.value.detail.code == ("invitation_expired" if closed_by == "expired" else "invitation_closed")
    assert roles_for(iris, globex) == set()
    invitation.refresh_from_db()
    assert invitation.status == closed_by
    assert LedgerEvent.objects.filter(kind=f"invitation.{closed_by}").count() == 1


def test_invitations_expire_after_the_configured_days(personas: dict[str, Any], settings: Any) -> None:
    settings.INVITATION_TTL_DAYS = 3
    before = timezone.now()
    invitation = invite_member(
        organisation=personas["globex"], email=personas["iris"].email, role="viewer", actor=personas["charlie"]
    )
    assert timedelta(days=3) <= invitation.expires_at - before < timedelta(days=3, seconds=5)


def test_only_owners_invite_or_cancel(personas: dict[str, Any]) -> None:
    acme = personas["acme"]
    for actor in ("bob", "victor", "audrey", "charlie", "sam"):
        with pytest.raises(DomainError) as refused:
            invite_member(organisation=acme, email="new@example.com", role="owner", actor=personas[actor])
        assert refused.value.detail.code == "owner_required"
    invitation = invite_member(organisation=acme, email="new@example.com", role="viewer", actor=personas["alice"])
    with pytest.raises(DomainError):
        cancel_invitation(invitation=invitation, actor=personas["bob"])
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING
