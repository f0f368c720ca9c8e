"""Alice, Acme's owner, in Chromium, in English and in zh-Hans: from her dashboard she opens Acme's members page and
invites Oscar as an operator; Oscar, signed in in a second browser context, finds the invitation on his invitations
page and accepts it; Alice reloads the members page and sees Oscar listed with the role "operator", and the
invitation no longer pending. Every page either of them sees passes axe."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import Invitation, Membership
from accounts.selectors import roles_for
from tests.portal.conftest import screenshot
from tests.portal.journeys.conftest import Journey

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

OSCAR = "oscar@example.com"


def test_a_brand_owner_invites_an_operator_who_accepts_and_becomes_a_member(
    journey: Journey, open_context: Any, personas: dict[str, Any]
) -> None:
    from accounts.services import create_user

    # Oscar has an account already (how he got it is another journey: /signup/).
    oscar = create_user(email=OSCAR, password="oscar-password-1", display_name="Oscar")
    acme = personas["acme"]
    prefix = f"journey-invite-{journey.locale}"

    alice = open_context().new_page()
    journey.login(alice, "alice@acme.example", "alice-password-1")
    journey.visit(alice)
    with alice.expect_navigation():
        alice.locator(f"a[href='/organisations/{acme.public_id}/members/']").first.click()
    journey.visit(alice)
    invitations = alice.get_by_test_id("invitations")
    invitations.locator("input[name=email]").fill(OSCAR)
    invitations.locator("select[name=role]").select_option("operator")
    screenshot(alice, f"{prefix}-01-invite")
    with alice.expect_navigation():
        invitations.get_by_role("button", name=journey.t("Send invitation")).click()
    journey.visit(alice)
    invitation = Invitation.objects.get(email=OSCAR, organisation=acme)
    assert invitation.role == Membership.Role.OPERATOR
    pending = alice.get_by_test_id(f"pending-{invitation.public_id}")
    assert OSCAR in pending.inner_text()
    screenshot(alice, f"{prefix}-02-pending")

    # Oscar, in his own browser context (his own cookies), accepts.
    page = open_context().new_page()
    journey.login(page, OSCAR, "oscar-password-1")
    journey.visit(page, "/organisations/invitations/")
    card = page.get_by_test_id(f"invitation-{invitation.public_id}")
    assert acme.name in card.inner_text()
    screenshot(page, f"{prefix}-03-oscar-invited")
    with page.expect_navigation():
        card.get_by_role("button", name=journey.t("Accept")).click()
    journey.visit(page)
    assert page.get_by_test_id(f"invitation-{invitation.public_id}").count() == 0
    assert roles_for(oscar, acme) == {"operator"}
    screenshot(page, f"{prefix}-04-oscar-accepted")

    alice.reload()
    journey.visit(alice)
    row = alice.get_by_test_id("members").locator("tbody tr", has_text=OSCAR)
    assert row.count() == 1
    assert row.locator(".badge--role").get_attribute("class") == "badge badge--role badge--operator"
    with_role = row.locator(".badge--role").inner_text()
    assert with_role == journey.t("Operator")
    assert alice.get_by_test_id(f"pending-{invitation.public_id}").count() == 0
    screenshot(alice, f"{prefix}-05-member")
