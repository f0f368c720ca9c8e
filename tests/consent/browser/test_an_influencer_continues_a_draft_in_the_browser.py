"""Iris left a draft at the statement step. From "My consents" she continues it: the wizard opens at the statement
with a fresh code and actions and the draft's scope as a sentence, not at a blank scope form; a draft waiting for
its signature reopens at the signing step with the sentence, and the canonical document behind its disclosure."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.consent.helpers import draft_grant, skip_statement
from tests.portal.conftest import login, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def tab(browser: Any, live_server: Any, transactional_db: Any, settings: Any) -> Iterator[Any]:
    settings.WEBAUTHN_RP_ID = "localhost"
    settings.WEBAUTHN_ORIGINS = [live_server.url]
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert errors == [], f"JavaScript errors or CSP violations on the page: {errors}"


def test_iris_continues_her_drafts_where_they_stopped(tab: Any, personas: dict[str, Any], template: Any) -> None:
    at_statement = draft_grant(personas, template)
    login(tab, "iris@creators.example", "iris-password-1")
    tab.goto("/consent/")
    with tab.expect_navigation():
        tab.locator(f"tr[data-grant='{at_statement.public_id}'] [data-testid=continue-draft]").click()
    expect(tab.get_by_test_id("sentence")).to_contain_text("My code is")
    assert tab.get_by_test_id("resumed-draft").inner_text().count("may use your face") == 1
    assert tab.locator("[data-step=scope]").count() == 0
    assert tab.get_by_test_id("record").is_enabled()
    screenshot(tab, "consent-draft-continued-at-statement")

    at_signature = skip_statement(draft_grant(personas, template))
    tab.goto(f"/consent/grants/{at_signature.public_id}/")
    assert "Signed document" not in tab.content()
    with tab.expect_navigation():
        tab.get_by_test_id("resume-draft").click()
    expect(tab.locator("[data-step=sign]")).to_be_visible()
    assert tab.get_by_test_id("scope-summary").inner_text().startswith("Acme Trading (Shanghai) Co., Ltd. may use")
    assert tab.locator("[data-step=statement]").is_hidden()
    tab.get_by_text("The document your passkey signs (canonical JSON)").click()
    expect(tab.get_by_test_id("document")).to_contain_text('"brands"')
    screenshot(tab, "consent-draft-continued-at-signature")
