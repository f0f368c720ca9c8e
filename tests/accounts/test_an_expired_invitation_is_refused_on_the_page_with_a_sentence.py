"""Accepting an invitation that expired after the page was opened is refused on the page with a sentence that says
what to do, in the reader's language (never a code, never a 500), and no membership is made; the members page's
refusals (the last owner) are sentences in Chinese too."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.invitations import invite_member
from accounts.models import Invitation, Membership

pytestmark = [pytest.mark.django_db]


def _client(user: Any, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "This invitation has expired. Ask an owner of the organisation to invite you again."),
        ("zh-CN", "此邀请已过期。请联系该组织的所有者重新邀请您。"),
    ],
)
def test_accepting_an_expired_invitation(personas: dict[str, Any], language: str, sentence: str) -> None:
    invitation = invite_member(
        organisation=personas["acme"], email="iris@creators.example", role="viewer", actor=personas["alice"]
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = _client(personas["iris"], language).post(
        f"/organisations/invitations/{invitation.public_id}/accept/", follow=True
    )
    assert response.status_code == 200
    assert sentence in response.content.decode()
    assert "invitation_expired" not in response.content.decode()
    assert not Membership.objects.filter(organisation=personas["acme"], user=personas["iris"]).exists()


def test_removing_the_last_owner_is_a_chinese_sentence(personas: dict[str, Any]) -> None:
    acme, alice = personas["acme"], personas["alice"]
    response = _client(alice, "zh-CN").post(
        f"/organisations/{acme.public_id}/members/{alice.public_id}/remove/", follow=True
    )
    assert "不能移除最后一位所有者：请先让其他人成为所有者。" in response.content.decode()
    assert Membership.objects.filter(organisation=acme, user=alice, role=Membership.Role.OWNER).exists()
