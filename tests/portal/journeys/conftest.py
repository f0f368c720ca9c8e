"""Journeys through the portal in Chromium, each run once in English and once in zh-Hans (issue 11).

`open_context(locale)` gives a fresh browser context on the live server whose browser speaks that language (no
cookie: the Accept-Language picks the page's language, as a phone's settings do), with axe-core injected and every
JavaScript error or CSP violation collected; the teardown fails the test on any of them. `visit(page, url)` checks
the page answered 200 in the journey's language and passes axe with no serious or critical violation. Selectors
are language-independent (test ids, names, roles with the catalog's own text) so one test body serves both runs;
screenshots are named with the locale and kept under test-artifacts/screenshots/.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import translation

from tests.portal.a11y.axe import install_axe, serious_violations

LOCALES = ["en", "zh-hans"]
BROWSER_LOCALES = {"en": ("en-US", "en-US,en;q=0.9"), "zh-hans": ("zh-CN", "zh-CN,zh;q=0.9")}
# A loaded machine (2 cores, several test runs at once) renders slowly: waits are generous, never sleeps.
DEFAULT_TIMEOUT_MS = 20_000


class Journey:
    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.errors: list[str] = []
        self.violations: dict[str, list[str]] = {}

    def t(self, text: str, context: str | None = None) -> str:
        """The catalog's text for `text` in the journey's language (what the page shows for that msgid)."""
        with translation.override(self.locale):
            if context:
                return translation.pgettext(context, text)
            return translation.gettext(text)

    def visit(self, page: Any, url: str | None = None) -> None:
        """Open `url` (or check the page already open): 200, in the journey's language, axe-clean."""
        if url is not None:
            response = page.goto(url)
            assert response is not None, f"{url} did not answer"
            assert response.status == 200, f"{url} answered {response.status}"
        page.wait_for_load_state("load")
        where = url or page.url
        assert page.locator("html").get_attribute("lang") == self.locale, f"{where} is not in {self.locale}"
        found = serious_violations(page)
        if found:
            self.violations[where] = found

    def login(self, page: Any, email: str, password: str) -> None:
        page.goto("/login/")
        page.locator("input[name=username]").fill(email)
        page.locator("input[type=password]").fill(password)
        with page.expect_navigation():
            page.locator("form button[type=submit]").last.click()
        assert "/login/" not in page.url, f"{email} could not sign in"


@pytest.fixture(params=LOCALES)
def journey(request: pytest.FixtureRequest) -> Journey:
    return Journey(request.param)


@pytest.fixture
def open_context(
    browser: Any, live_server: Any, transactional_db: Any, journey: Journey
) -> Iterator[Callable[[], Any]]:
    contexts: list[Any] = []

    def open_() -> Any:
        locale, accept = BROWSER_LOCALES[journey.locale]
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": 1280, "height": 900},
            locale=locale,
            extra_http_headers={"Accept-Language": accept},
            accept_downloads=True,
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        install_axe(context)
        context.on("page", lambda page: _watch(page, journey.errors))
        contexts.append(context)
        return context

    yield open_
    for context in contexts:
        context.close()
    assert journey.errors == [], f"JavaScript errors or CSP violations: {journey.errors}"
    assert journey.violations == {}, "axe found serious or critical violations:\n" + "\n".join(
        f"{url}:\n  " + "\n  ".join(lines) for url, lines in journey.violations.items()
    )


def _watch(page: Any, errors: list[str]) -> None:
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on(
        "console",
        lambda message: (
            errors.append(f"console: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
