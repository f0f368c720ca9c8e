"""/api/docs/ in Chromium: Swagger UI (from drf-spectacular-sidecar, served by us) starts from a static file and
lists the API's operations, with no inline script, no CSP violation and nothing fetched from another host."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.portal.conftest import screenshot

pytestmark = pytest.mark.browser


def test_the_docs_page_lists_the_operations_without_a_csp_violation(page: Any, personas: dict[str, Any]) -> None:
    foreign: list[str] = []
    page.on("request", lambda request: foreign.append(request.url) if "localhost" not in request.url else None)

    page.goto("/api/docs/")
    page.locator(".opblock").first.wait_for(state="visible", timeout=15_000)

    summaries = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/auth/token/" in summaries
    assert "/api/v1/consent/review-queue/" in summaries
    assert page.get_by_text("Veracast API").first.is_visible()
    assert foreign == []
    screenshot(page, "api-docs")
    # The `page` fixture fails the test on any page error or CSP violation reported to the console.


@pytest.mark.django_db
def test_the_docs_pages_carry_no_inline_script_and_load_nothing_from_a_cdn(client: Client) -> None:
    for url in ("/api/docs/", "/api/redoc/"):
        html = client.get(url).content.decode()
        assert "<script>" not in html
        assert "<style>" not in html
        assert "googleapis" not in html
        assert "drf_spectacular_sidecar/" in html
