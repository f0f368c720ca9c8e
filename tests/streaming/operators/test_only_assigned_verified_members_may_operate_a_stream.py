"""Heartbeats, interjections and take-overs are for the stream's assigned operators who are owners or operators of
the brand and real-name verified now: a viewer, an unassigned owner, an assigned but unverified operator and an
assigned operator who has since left the brand are each refused (403) with their own code, and nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest

from common.api import DomainError
from streaming.models import Interjection, OperatorHeartbeat, Takeover
from streaming.operators import heartbeat, interject, take_over
from tests.streaming.operators.helpers import live_stream

pytestmark = pytest.mark.django_db


def _refused(action: Any, code: str) -> None:
    with pytest.raises(DomainError) as refused:
        action()
    assert (refused.value.status_code, refused.value.code) == (403, code)


def _every_action_refused(stream: Any, user: Any, code: str) -> None:
    _refused(lambda: heartbeat(stream=stream, operator=user), code)
    _refused(lambda: interject(stream=stream, operator=user, text="Welcome back, everyone."), code)
    _refused(lambda: take_over(stream=stream, operator=user), code)


def test_people_who_are_not_operators_now_are_refused(personas: dict[str, Any]) -> None:
    stream = live_stream(personas)
    _every_action_refused(stream, personas["victor"], "operator_not_assigned")
    _every_action_refused(stream, personas["alice"], "operator_not_assigned")

    olga = unverified_operator(personas)
    stream.operators.add(olga)
    _every_action_refused(stream, olga, "operator_not_verified")

    from accounts.models import Membership

    Membership.objects.filter(organisation=personas["acme"], user=personas["bob"]).delete()
    _every_action_refused(stream, personas["bob"], "operator_not_member")

    assert not OperatorHeartbeat.objects.exists()
    assert not Interjection.objects.exists()
    assert not Takeover.objects.exists()


def unverified_operator(personas: dict[str, Any]) -> Any:
    """olga joins Acme as an operator (a recorded invitation acceptance) but has no real-name record."""
    from accounts.invitations import add_member_with_recorded_acceptance
    from accounts.models import Membership
    from accounts.services import create_user

    olga = create_user(email="olga@acme.example", password="olga-password-1", display_name="Olga")
    add_member_with_recorded_acceptance(
        organisation=personas["acme"], user=olga, role=Membership.Role.OPERATOR, actor=personas["alice"]
    )
    return olga
