from __future__ import annotations

from typing import Any

import pytest

from tests.portal.conftest import login, screenshot

pytestmark = pytest.mark.browser


def test_signing_in_and_out_through_the_browser(page: Any, live_server: Any, personas: dict[str, Any]) -> None:
    page.goto("/")
    assert page.url.endswith("/login/?next=/")
    assert page.get_by_text("Please sign in to see this page.").is_visible()

    login(page, "alice@acme.example", "not-her-password")
    error = page.get_by_test_id("login-error")
    assert "That email and password do not match an account." in error.inner_text()
    assert page.get_by_label("Email").input_value() == "alice@acme.example"
    screenshot(page, "login-bad-password")

    page.get_by_label("Password").fill("alice-password-1")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.url == f"{live_server.url}/"
    assert page.get_by_role("heading", name="Welcome, Alice").is_visible()
    assert "alice@acme.example" in page.get_by_test_id("account").inner_text()

    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    assert page.url.endswith("/login/")
    page.goto("/")
    assert "/login/" in page.url  # the session is really gone
