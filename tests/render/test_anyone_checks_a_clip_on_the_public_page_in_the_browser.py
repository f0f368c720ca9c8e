"""In Chromium, without signing in, a visitor uploads a clip on /check/ and reads the verdict: an ordinary video has
no Veracast watermark (with the false-positive bound explained), and a text file gets a sentence, not an error page."""

from __future__ import annotations

from typing import Any

import pytest

from tests.portal.conftest import page, screenshot  # noqa: F401  (the portal's page fixture)
from tests.render.clip_helpers import unmarked_clip

pytestmark = pytest.mark.browser


def test_a_visitor_uploads_a_clip_and_reads_the_verdict(page: Any, settings: Any) -> None:  # noqa: F811
    settings.CLIP_CHECK_RATE_LIMIT = 10_000
    page.goto("/check/")
    assert page.get_by_role("heading", name="Was this clip made by Veracast?").is_visible()

    page.get_by_label("Video clip or segment").set_input_files(
        {"name": "clip.mp4", "mimeType": "video/mp4", "buffer": unmarked_clip()}
    )
    with page.expect_navigation(timeout=120_000):
        page.get_by_role("button", name="Check the clip").click()

    assert page.get_by_test_id("verdict-title").inner_text() == "No Veracast watermark found"
    assert "wrong at most once in 8,388,608 checks" in page.get_by_test_id("summary").inner_text()
    assert "No C2PA manifest (re-encoded copies lose it" in page.get_by_test_id("c2pa").inner_text()
    screenshot(page, "clip-check-unmarked")

    page.get_by_label("Video clip or segment").set_input_files(
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"just some text"}
    )
    with page.expect_navigation(timeout=60_000):
        page.get_by_role("button", name="Check the clip").click()
    assert "not a video Veracast can read" in page.get_by_test_id("error").inner_text()
