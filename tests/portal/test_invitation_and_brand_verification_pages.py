"""The pages for joining organisations and verifying brands: owners invite, change roles, remove and cancel on the
members page and record the legal entity there; anyone answers their invitations; staff verify brands. Refusals
come back as sentences on the page."""

from __future__ import annotations

from typing import Any

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.invitations import invite_member
from accounts.models import Invitation
from accounts.selectors import roles_for


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _members_url(organisation: Any) -> str:
    return reverse("accounts-pages:members", args=[organisation.public_id])


def test_an_owner_invites_and_manages_members_on_the_page(client: Client, personas: dict[str, Any]) -> None:
    acme = personas["acme"]
    client.force_login(personas["alice"])
    page = client.get(_members_url(acme)).content.decode()
    assert "Send invitation" in page
    assert "bob@acme.example" in page

    sent = client.post(
        reverse("accounts-pages:invite", args=[acme.public_id]),
        {"email": "new@example.com", "role": "editor"},
        follow=True,
    )
    assert _messages(sent) == ["Invitation sent to new@example.com. They join once they accept it."]
    assert "new@example.com" in sent.content.decode()
    again = client.post(
        reverse("accounts-pages:invite", args=[acme.public_id]),
        {"email": "bob@acme.example", "role": "viewer"},
        follow=True,
    )
    assert _messages(again) == ["This address already belongs to a member; change their role instead."]

    invitation = Invitation.objects.get(email="new@example.com")
    client.post(reverse("accounts-pages:cancel-invitation", args=[acme.public_id, invitation.public_id]))
    assert Invitation.objects.get(pk=invitation.pk).status == "cancelled"
    victor = personas["victor"]
    client.post(reverse("accounts-pages:change-role", args=[acme.public_id, victor.public_id]), {"role": "editor"})
    assert roles_for(victor, acme) == {"editor"}
    client.post(reverse("accounts-pages:remove-member", args=[acme.public_id, victor.public_id]))
    assert roles_for(victor, acme) == set()


def test_members_who_are_not_owners_read_but_are_refused_with_a_sentence(
    client: Client, personas: dict[str, Any]
) -> None:
    acme = personas["acme"]
    client.force_login(personas["victor"])
    page = client.get(_members_url(acme)).content.decode()
    assert "alice@acme.example" in page
    assert "Send invitation" not in page
    refused = client.post(
        reverse("accounts-pages:invite", args=[acme.public_id]),
        {"email": "x@example.com", "role": "owner"},
        follow=True,
    )
    assert _messages(refused) == ["Only an owner of the organisation may invite or manage invitations."]
    assert not Invitation.objects.filter(email="x@example.com").exists()
    client.force_login(personas["charlie"])
    assert client.get(_members_url(acme)).status_code == 404


def test_a_person_accepts_or_declines_on_my_invitations(client: Client, personas: dict[str, Any]) -> None:
    iris = personas["iris"]
    to_acme = invite_member(organisation=personas["acme"], email=iris.email, role="viewer", actor=personas["alice"])
    to_globex = invite_member(
        organisation=personas["globex"], email=iris.email, role="auditor", actor=personas["charlie"]
    )
    client.force_login(iris)
    page = client.get(reverse("accounts-pages:my-invitations")).content.decode()
    assert "Acme" in page
    assert "Globex" in page
    assert "Acme Trading (Shanghai) Co., Ltd." in page

    accepted = client.post(
        reverse("accounts-pages:respond-to-invitation", args=[to_acme.public_id, "accept"]), follow=True
    )
    assert _messages(accepted) == ["You joined Acme."]
    declined = client.post(
        reverse("accounts-pages:respond-to-invitation", args=[to_globex.public_id, "decline"]), follow=True
    )
    assert _messages(declined) == ["You declined the invitation to Globex."]
    assert roles_for(iris, personas["acme"]) == {"viewer"}
    assert roles_for(iris, personas["globex"]) == set()
    assert 'data-testid="no-invitations"' in declined.content.decode()
    # Someone else's invitation does not exist for you.
    for_bob = invite_member(
        organisation=personas["globex"], email=personas["bob"].email, role="owner", actor=personas["charlie"]
    )
    assert (
        client.post(reverse("accounts-pages:respond-to-invitation", args=[for_bob.public_id, "accept"])).status_code
        == 404
    )


def test_an_owner_submits_the_legal_entity_and_staff_verify_it(client: Client, personas: dict[str, Any]) -> None:
    from accounts.services import create_organisation

    initech = create_organisation(name="Initech", slug="initech", owner=personas["charlie"])
    client.force_login(personas["charlie"])
    url = reverse("accounts-pages:legal-entity", args=[initech.public_id])
    typo = client.post(url, {"legal_name": "Initech Co., Ltd.", "uscc": "91110000802100433C"}, follow=True)
    assert "does not match the others" in _messages(typo)[0]
    client.post(url, {"legal_name": "Initech Co., Ltd.", "uscc": "91110000802100433B"})
    initech.refresh_from_db()
    assert initech.verification_status == "pending"
    assert client.get(reverse("accounts-pages:brand-reviews")).status_code == 403

    client.force_login(personas["sam"])
    queue = client.get(reverse("accounts-pages:brand-reviews")).content.decode()
    assert "Initech Co., Ltd." in queue
    assert "91110000802100433B" in queue
    review = reverse("accounts-pages:review-brand", args=[initech.public_id])
    no_reason = client.post(review, {"decision": "reject", "reason": ""}, follow=True)
    assert _messages(no_reason) == ["Write the reason for the rejection."]
    verified = client.post(review, {"decision": "verify"}, follow=True)
    assert _messages(verified) == ["Initech is verified."]
    initech.refresh_from_db()
    assert initech.is_verified
