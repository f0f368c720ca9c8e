"""In Chromium: the header's language switcher turns the portal Chinese and the choice stays across pages (a
cookie); it works without JavaScript through its button; a browser asking for zh-CN gets Chinese without choosing,
and one asking for French (no catalog) gets English."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.portal.conftest import login, screenshot

pytestmark = [pytest.mark.browser]


@contextmanager
def _page(browser: Any, live_server: Any, *, locale: str, javascript: bool = True) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 860}, locale=locale, java_script_enabled=javascript
    )
    context.set_default_timeout(5_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "Content Security" in m.text else None)
    try:
        yield page
    finally:
        context.close()
    assert errors == [], f"JavaScript errors or CSP violations: {errors}"


def test_switching_to_chinese_in_the_header_changes_the_page_and_persists(
    browser: Any, live_server: Any, personas: dict[str, Any]
) -> None:
    with _page(browser, live_server, locale="en-US") as page:
        login(page, "alice@acme.example", "alice-password-1")
        assert page.get_by_role("heading", name="Welcome, Alice").is_visible()
        assert page.get_by_test_id("language-submit").is_hidden()  # with JavaScript, choosing is enough
        with page.expect_navigation():
            page.get_by_test_id("language-select").select_option("zh-hans")
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        assert page.get_by_role("heading", name="欢迎，Alice").is_visible()
        assert page.get_by_role("link", name="商品库").is_visible()
        screenshot(page, "i18n-dashboard-zh-hans")

        page.goto("/catalog/")  # another page, nothing chosen again
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        assert page.get_by_role("heading", name="商品", exact=True).is_visible()
        cookies = {c["name"]: c["value"] for c in page.context.cookies()}
        assert cookies.get("veracast_language") == "zh-hans"

        with page.expect_navigation():
            page.get_by_test_id("language-select").select_option("en")
        assert page.url.endswith("/catalog/")  # back on the page it was chosen on
        assert page.get_by_role("heading", name="Products").is_visible()


def test_the_switcher_works_without_javascript(browser: Any, live_server: Any, transactional_db: Any) -> None:
    with _page(browser, live_server, locale="en-US", javascript=False) as page:
        page.goto("/login/")
        assert page.get_by_role("heading", name="Sign in").is_visible()
        page.get_by_test_id("language-select").select_option("zh-hans")
        with page.expect_navigation():
            page.get_by_test_id("language-submit").click()
        assert page.get_by_role("heading", name="登录").is_visible()
        assert page.get_by_label("电子邮箱").is_visible()


def test_a_chinese_browser_gets_chinese_and_a_french_one_english(
    browser: Any, live_server: Any, transactional_db: Any
) -> None:
    with _page(browser, live_server, locale="zh-CN") as page:
        page.goto("/login/")
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        assert page.get_by_role("heading", name="登录").is_visible()
        assert page.get_by_test_id("language-select").input_value() == "zh-hans"
        screenshot(page, "i18n-login-zh-cn-browser")
    with _page(browser, live_server, locale="fr-FR") as page:
        page.goto("/login/")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.get_by_role("heading", name="Sign in").is_visible()
        assert page.get_by_test_id("language-select").input_value() == "en"
