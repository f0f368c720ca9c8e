"""Browser fixtures for the portal: one headless Chromium per test session, a fresh context per test.

Chromium is Debian's package (`apt-get install chromium`), driven through Playwright's sync API; `playwright install`
is never used. Playwright's sync API runs an event loop in this thread, and Django refuses database access from a
thread with a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set, so the browser fixture sets it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    # Nothing but the live server may be reached: every other host name fails to resolve at once.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE *.localhost , EXCLUDE 127.0.0.1",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = (
            f"{CHROMIUM} is missing. Install Debian's Chromium as root: "
            "`DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-noto-cjk` (never `playwright install`)."
        )
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)

    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


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
