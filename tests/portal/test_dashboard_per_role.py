from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import LedgerEvent


def _dashboard(client: Client, user: Any) -> str:
    client.force_login(user)
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_an_influencer_sees_her_stage_name_verification_and_the_consent_empty_state(
    client: Client, personas: dict[str, Any]
) -> None:
    html = _dashboard(client, personas["iris"])

    assert "Iris Live" in html
    assert "You have not granted any consent yet." in html
    assert "Your identity was verified on" in html
    assert 'id="brands"' not in html


def test_an_owner_sees_her_organisation_and_its_members_with_verification(
    client: Client, personas: dict[str, Any]
) -> None:
    html = _dashboard(client, personas["alice"])

    assert 'data-testid="members-acme"' in html
    for email in ("alice@acme.example", "bob@acme.example", "victor@acme.example", "audrey@audit.example"):
        assert email in html
    assert "Not verified: cannot supervise streams" in html  # bob, the operator, has no real-name record


def test_a_viewer_sees_his_organisation_and_role_but_not_the_member_list(
    client: Client, personas: dict[str, Any]
) -> None:
    html = _dashboard(client, personas["victor"])

    assert 'data-testid="org-acme"' in html
    assert "As a viewer you can see" in html
    assert 'data-testid="members-acme"' not in html
    assert "bob@acme.example" not in html


def test_an_unverified_operator_is_told_he_cannot_act_until_verified(client: Client, personas: dict[str, Any]) -> None:
    html = _dashboard(client, personas["bob"])

    assert "You are not verified yet, so you cannot act on the platform." in html
    assert "You cannot supervise livestreams until you are real-name verified." in html


def test_charlie_of_globex_sees_nothing_of_acme(client: Client, personas: dict[str, Any]) -> None:
    html = _dashboard(client, personas["charlie"])

    assert "Globex" in html
    assert "Acme" not in html
    assert "acme.example" not in html


def test_an_organisation_auditor_sees_ledger_counts_for_that_organisation_only(
    client: Client, personas: dict[str, Any]
) -> None:
    client.force_login(personas["audrey"])
    response = client.get(reverse("portal:dashboard"))

    [(org, counts)] = response.context["audited_organisations"]
    assert org.slug == "acme"
    assert counts.available
    acme_events = LedgerEvent.objects.filter(organisation=personas["acme"])
    assert counts.total == acme_events.count() > 0
    assert counts.total < LedgerEvent.objects.count()  # Globex's and the users' events are not counted
    # alice founded Acme (owner: one membership.set), invited three people who each accepted, and staff verified
    # the legal entity she submitted.
    assert dict(counts.by_kind) == {
        "organisation.created": 1,
        "membership.set": 4,
        "invitation.created": 3,
        "invitation.accepted": 3,
        "organisation.legal_entity_submitted": 1,
        "organisation.verified": 1,
    }
    assert response.context["platform_ledger"] is None
    assert 'id="audit"' in response.content.decode()


def test_staff_see_platform_totals_and_ledger_counts(client: Client, personas: dict[str, Any]) -> None:
    client.force_login(personas["sam"])
    response = client.get(reverse("portal:dashboard"))

    counts = response.context["platform_counts"]
    assert (counts.users, counts.organisations, counts.influencers, counts.verified_people) == (7, 2, 1, 1)
    ledger = response.context["platform_ledger"]
    assert ledger.available
    assert ledger.total == ledger.last_24h == LedgerEvent.objects.count()
    assert 'data-testid="platform-ledger"' in response.content.decode()


def test_the_dashboard_reads_the_same_number_of_queries_however_many_members(
    client: Client, personas: dict[str, Any]
) -> None:
    from accounts.invitations import add_member_with_recorded_acceptance
    from accounts.models import Membership
    from accounts.services import create_user

    client.force_login(personas["alice"])
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("portal:dashboard"))
    for n in range(5):
        user = create_user(email=f"member{n}@acme.example", password="member-password-1")
        add_member_with_recorded_acceptance(
            organisation=personas["acme"], user=user, role=Membership.Role.EDITOR, actor=personas["alice"]
        )

    with CaptureQueriesContext(connection) as after:
        html = client.get(reverse("portal:dashboard")).content.decode()

    assert "member4@acme.example" in html
    assert len(after.captured_queries) == len(before.captured_queries) <= 8
