"""Every persona's main pages pass axe-core with no serious or critical violation, in English and in zh-Hans, in
real Chromium: the login and sign-up pages for a visitor, then, for iris (influencer), alice (brand owner), bob
(operator), sam (staff) and audrey (auditor), the dashboard and every page their main navigation links to."""

from __future__ import annotations

from typing import Any

import pytest

from tests.portal.a11y.axe import install_axe, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

PASSWORDS = {
    "iris": "iris-password-1",
    "alice": "alice-password-1",
    "bob": "bob-password-1",
    "sam": "sam-password-1",
    "audrey": "audrey-password-1",
}
# The browser's language picks the page's language (no cookie): what a Chinese phone sends, or an English one.
LOCALES = {"en": "en-US", "zh-hans": "zh-CN"}


def _context(browser: Any, live_server: Any, locale: str) -> Any:
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 860},
        locale=LOCALES[locale],
        extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9" if locale == "zh-hans" else "en-US,en;q=0.9"},
    )
    context.set_default_timeout(8_000)
    install_axe(context)
    return context


def _audit(page: Any, url: str, locale: str, found: dict[str, list[str]]) -> None:
    response = page.goto(url)
    assert response is not None, f"{url} did not answer"
    assert response.status == 200, f"{url} answered {response.status}"
    assert page.locator("html").get_attribute("lang") == locale, f"{url} does not say it is {locale}"
    violations = serious_violations(page)
    if violations:
        found[url] = violations


@pytest.mark.parametrize("locale", ["en", "zh-hans"])
def test_the_login_and_sign_up_pages_pass_axe(
    browser: Any, live_server: Any, transactional_db: Any, locale: str
) -> None:
    context = _context(browser, live_server, locale)
    found: dict[str, list[str]] = {}
    page = context.new_page()
    for url in ("/login/", "/signup/", "/signup/brand/"):
        _audit(page, url, locale, found)
    context.close()
    assert found == {}, found


@pytest.mark.parametrize("locale", ["en", "zh-hans"])
@pytest.mark.parametrize("persona", list(PASSWORDS))
def test_a_personas_main_pages_pass_axe(
    browser: Any, live_server: Any, transactional_db: Any, personas: dict[str, Any], persona: str, locale: str
) -> None:
    context = _context(browser, live_server, locale)
    page = context.new_page()
    page.goto("/login/")
    page.locator("input[name=username]").fill(personas[persona].email)
    page.locator("input[type=password]").fill(PASSWORDS[persona])
    with page.expect_navigation():
        page.locator("form button[type=submit]").last.click()
    hrefs = page.locator("#primary-nav a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    # Links to a section of the dashboard (/#brands) are the dashboard itself.
    pages = dict.fromkeys(["/", *(href.split("#")[0] or "/" for href in hrefs)])
    found: dict[str, list[str]] = {}
    for url in pages:
        _audit(page, url, locale, found)
    context.close()
    assert found == {}, "\n".join(f"{url}:\n  " + "\n  ".join(lines) for url, lines in found.items())
