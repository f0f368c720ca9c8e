"""In Chromium, under the strict CSP: iris follows "My likeness" from her navigation to her avatar, its streams and
her usage, opens a stream's page (without the brand's setup) and downloads her usage CSV; alice follows
"Dashboard · Acme" to the states, incidents and usage, and a range that ends before it starts is refused with the
reason on the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.portal.conftest import login, screenshot
from tests.streaming.metering.helpers import FROM, TO, usage_world

pytestmark = pytest.mark.browser


def test_likeness_and_dashboard_in_the_browser(page: Any, personas: dict[str, Any]) -> None:
    world = usage_world(personas)

    login(page, personas["iris"].email, "iris-password-1")
    with page.expect_navigation():
        page.locator("#primary-nav a", has_text="My likeness").click()
    assert page.get_by_role("heading", name="My likeness").is_visible()
    assert page.get_by_test_id("likeness-stream").count() == 2
    page.get_by_label("From").fill(FROM)
    page.get_by_label("To").fill(TO)
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert page.get_by_test_id("usage-row").count() == 2
    with page.expect_download() as download:
        page.get_by_test_id("usage-csv").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[1].startswith(f"2026-03-10,{world.grant.public_id},Iris Live,")
    screenshot(page, "likeness-iris")
    with page.expect_navigation():
        page.get_by_role("link", name=world.streams[0].title).click()
    assert page.get_by_role("heading", name=world.streams[0].title).is_visible()
    assert "rtmp://" not in page.content()

    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    login(page, personas["alice"].email, "alice-password-1")
    with page.expect_navigation():
        page.locator("#primary-nav a", has_text="Dashboard · Acme").click()
    assert page.get_by_role("heading", name="Brand dashboard").is_visible()
    assert page.get_by_test_id("count-paused").inner_text().endswith("1")
    assert page.get_by_test_id("incident").count() == 3
    page.get_by_label("From").fill("2026-03-10")
    page.get_by_label("To").fill("2026-03-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert "from must not be after to" in page.get_by_test_id("range-error").inner_text()
    screenshot(page, "dashboard-brand-acme")
