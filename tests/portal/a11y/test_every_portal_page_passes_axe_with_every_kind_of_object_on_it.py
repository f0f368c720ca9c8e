"""Every portal page (the list in the zh-Hans catalog test, PAGES, opened by the same people on the same objects:
grants in each state, an avatar and its job, products, scripts, streams, exports, ledger events...) passes axe-core
with no serious or critical violation in Chromium. The persona walk (the sibling test) covers both languages; this
one covers every page and every state, in English."""

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


def test_every_page_passes_axe(
    browser: Any,
    live_server: Any,
    transactional_db: Any,
    portal_world: SimpleNamespace,  # noqa: F811
) -> None:
    contexts: dict[str | None, Any] = {}
    found: dict[str, list[str]] = {}
    visited = 0
    for name, visits in PAGES.items():
        for who, kwargs in visits:
            if who not in contexts:
                context = browser.new_context(
                    base_url=live_server.url, viewport={"width": 1280, "height": 860}, locale="en-US"
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
            violations = serious_violations(page)
            if violations:
                found[f"{name} as {who} ({url})"] = violations
            visited += 1
    for page in contexts.values():
        page.context.close()
    assert visited >= 40
    assert found == {}, "\n".join(f"{where}:\n  " + "\n  ".join(lines) for where, lines in found.items())
