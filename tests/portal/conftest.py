"""Browser fixtures for the portal: a fresh context per test on the session's Chromium (tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "login", "screenshot"]


@pytest.fixture
def page(browser: Any, live_server: Any, transactional_db: Any) -> Iterator[Any]:
    """A page in a fresh browser context (no cookies shared between tests) whose relative URLs go to the live
    server. Any JavaScript error on a page fails the test: the CSP forbids inline scripts, and a page that breaks
    under it must not pass silently."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 860}, locale="en-US")
    context.set_default_timeout(5_000)
    browser_page = context.new_page()
    errors: list[str] = []
    browser_page.on("pageerror", lambda error: errors.append(str(error)))
    browser_page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    yield browser_page
    context.close()
    assert errors == [], f"JavaScript errors or CSP violations on the page: {errors}"


def login(page: Any, email: str, password: str) -> None:
    """Sign in through the real form and wait for the page it leads to."""
    page.goto("/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page PNG as test-artifacts/screenshots/<name>.png (gitignored) for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
