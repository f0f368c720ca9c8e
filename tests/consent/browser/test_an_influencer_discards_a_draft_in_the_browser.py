"""Iris opens an unsigned draft in the browser and discards it with the page's button (no passkey: nothing was
agreed yet); the page then says it was discarded, and the ledger has `consent.draft_discarded`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.consent.helpers import draft_grant
from tests.portal.conftest import login, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def tab(browser: Any, live_server: Any, transactional_db: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 860}, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def test_iris_discards_her_draft_with_one_click(tab: Any, personas: dict[str, Any], template: Any) -> None:
    from audit.models import LedgerEvent
    from consent.models import ConsentGrant

    draft = draft_grant(personas, template)
    login(tab, "iris@creators.example", "iris-password-1")
    tab.goto(f"/consent/grants/{draft.public_id}/")
    assert not tab.get_by_test_id("revoke").is_visible()

    with tab.expect_navigation():
        tab.get_by_test_id("discard").click()

    assert "Discarded on" in tab.get_by_test_id("status-note").inner_text()
    assert not tab.get_by_test_id("discard").is_visible()
    screenshot(tab, "consent-draft-discarded")
    draft.refresh_from_db()
    assert draft.status == ConsentGrant.Status.DISCARDED
    assert LedgerEvent.objects.filter(subject=f"consent:{draft.public_id}", kind="consent.draft_discarded").exists()
