"""A statement that reads the code but does not do the actions the page asks for (a still face) is refused: the page
says which action was not seen, in a sentence, shows a new code and new actions, and lets her record again; nothing
is stored and the grant still waits for its statement."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.consent.browser.steps import fill_scope, wait_for_step
from tests.portal.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_still_face_is_refused_with_the_action_that_was_not_seen(
    open_tab: Any, verified_iris_with_sample: dict[str, Any], template: Any
) -> None:
    from consent.models import ConsentGrant, VaultObject

    tab = open_tab("astronaut_still")
    page = tab.page
    login(page, "iris@creators.example", "iris-password-1")
    page.goto("/consent/new/")
    fill_scope(page)
    page.get_by_test_id("draft").click()
    wait_for_step(page, "statement", after="draft", timeout_ms=10_000)

    page.get_by_test_id("record").click()
    refused = page.get_by_test_id("statement-refused")
    refused.wait_for(state="visible", timeout=180_000)

    text = refused.inner_text()
    assert text.startswith("An action was not seen at the moment it was asked for:")
    assert "turn your head to your left" in text
    assert "A new code and new actions are shown above: record again." in text
    assert refused.get_attribute("data-code") == "action_not_seen"
    # The button comes back once the new challenge is shown; it may lag the refusal by a task.
    expect(page.get_by_test_id("record")).to_be_enabled(timeout=5_000)
    assert len(page.get_by_test_id("actions").inner_text().splitlines()) == 3
    screenshot(page, "consent-statement-refused")
    # Chromium logs the refused upload's 400 as a console error; that one is expected, any other still fails.
    refused_upload = "console: Failed to load resource: the server responded with a status of 400 (Bad Request)"
    assert tab.errors.count(refused_upload) == 1
    tab.errors.remove(refused_upload)
    grant = ConsentGrant.objects.get(influencer__user=verified_iris_with_sample["iris"])
    assert grant.status == ConsentGrant.Status.PENDING_STATEMENT
    assert not VaultObject.objects.filter(kind="statement").exists()
