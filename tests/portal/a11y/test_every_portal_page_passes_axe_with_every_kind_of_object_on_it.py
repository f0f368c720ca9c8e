"""Every portal page (the list in the zh-Hans catalog test, PAGES, opened by the same people on the same objects:
grants in each state, an avatar and its job, products, scripts, streams, exports, ledger events...) passes axe-core
with no serious or critical violation in Chromium: every visit (69: each page in each state) in English, and every
page once (its first visit: 38) in zh-Hans, where the browser asks for Chinese and each page must say it is in it.
Measured on the shared 2-core machine, all 69 visits took 74 s in English and 60 s in Chinese (the world's setup,
35 s, comes on top): the Chinese run reads every template once rather than every state again, for about half that."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.portal.a11y.axe import install_axe, serious_violations
from tests.portal.i18n.conftest import portal_world  # noqa: F401 - the i18n test's world of objects, as a fixture
from tests.portal.i18n.test_every_portal_page_renders_in_chinese_without_a_catalog_miss import PAGES

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

BROWSER_LANGUAGES = {"en": ("en-US", "en-US,en;q=0.9"), "zh-hans": ("zh-CN", "zh-CN,zh;q=0.9")}


@pytest.mark.parametrize("language", list(BROWSER_LANGUAGES))
def test_every_page_passes_axe(
    language: str,
    browser: Any,
    live_server: Any,
    transactional_db: Any,
    portal_world: SimpleNamespace,  # noqa: F811
) -> None:
    contexts: dict[str | None, Any] = {}
    found: dict[str, list[str]] = {}
    visited = 0
    for name, visits in PAGES.items():
        for who, kwargs in visits if language == "en" else visits[:1]:
            if who not in contexts:
                locale, accept = BROWSER_LANGUAGES[language]
                context = browser.new_context(
                    base_url=live_server.url,
                    viewport={"width": 1280, "height": 860},
                    locale=locale,
                    extra_http_headers={"Accept-Language": accept},
                )
                context.set_default_timeout(8_000)
                install_axe(context)
                if who is not None:
                    client = Client()
                    client.force_login(getattr(portal_world, who))
                    session = client.cookies[settings.SESSION_COOKIE_NAME].value
                    context.add_cookies(
                        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
                    )
                contexts[who] = context.new_page()
            page = contexts[who]
            url = reverse(name, kwargs=kwargs(portal_world))
            response = page.goto(url)
            assert response is not None, url
            assert response.status == 200, f"{name} as {who}: {response.status}"
            assert page.locator("html").get_attribute("lang") == language, f"{name} is not in {language}"
            violations = serious_violations(page)
            if violations:
                found[f"{name} as {who} ({url})"] = violations
            visited += 1
    for page in contexts.values():
        page.context.close()
    assert visited >= (40 if language == "en" else len(PAGES))
    assert found == {}, "\n".join(f"{where}:\n  " + "\n  ".join(lines) for where, lines in found.items())
