"""Every step of an invitation is ledgered in the organisation's chain, without the e-mail address (personal data
in an append-only ledger): invited, cancelled and replaced, accepted (with the membership it made), declined."""

from __future__ import annotations

from typing import Any

from accounts.invitations import accept_invitation, decline_invitation, invite_member
from accounts.models import Invitation
from audit.models import LedgerEvent


def _events(organisation: Any) -> list[tuple[str, dict[str, Any]]]:
    rows = LedgerEvent.objects.filter(organisation=organisation, kind__startswith="invitation.").order_by("id")
    return [(row.kind, row.payload_data) for row in rows]


def test_invite_resend_accept_and_decline_are_each_one_event(personas: dict[str, Any]) -> None:
    globex, charlie, iris, bob = personas["globex"], personas["charlie"], personas["iris"], personas["bob"]
    before = LedgerEvent.objects.filter(organisation=globex).count()
    first = invite_member(organisation=globex, email="IRIS@creators.example ", role="viewer", actor=charlie)
    again = invite_member(organisation=globex, email=iris.email, role="editor", actor=charlie)  # replaces the first
    accept_invitation(invitation=again, user=iris)
    to_bob = invite_member(organisation=globex, email=bob.email, role="viewer", actor=charlie)
    decline_invitation(invitation=to_bob, user=bob)

    assert Invitation.objects.get(pk=first.pk).status == "cancelled"
    kinds = [kind for kind, _ in _events(globex)]
    assert kinds == [
        "invitation.created",
        "invitation.cancelled",
        "invitation.created",
        "invitation.accepted",
        "invitation.created",
        "invitation.declined",
    ]
    created = _events(globex)[2][1]
    assert set(created) == {"invitation", "role", "expires_at", "invited_by"}
    assert created["role"] == "editor"
    accepted = LedgerEvent.objects.get(
        organisation=globex, kind="membership.set", payload__contains=str(iris.public_id)
    )
    assert accepted.payload_data["invitation"] == str(again.public_id)
    assert accepted.actor == iris.ledger_actor
    assert LedgerEvent.objects.filter(organisation=globex).count() == before + 7
    for row in LedgerEvent.objects.filter(organisation=globex):
        assert "creators.example" not in row.payload
        assert "acme.example" not in row.payload
