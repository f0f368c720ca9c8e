"""In Chromium, in English and in zh-Hans: a visitor follows the login page's sign-up link, is refused a weak
password with the rule's sentence (the form passes axe-core with the error shown), then signs up and lands on her
dashboard, signed in. Screenshots: test-artifacts/screenshots/signup-*.png."""

from __future__ import annotations

from typing import Any

import pytest

from tests.portal.a11y.axe import install_axe, serious_violations
from tests.portal.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

WORDS = {
    "en": {
        "accept": "en-US,en;q=0.9",
        "link": "Create your account",
        "name": "Your name",
        "stage": "Stage name",
        "email": "Email",
        "password": "Password",
        "submit": "Create account",
        "too_short": "This password is too short.",
        "welcome": "Welcome, Nina",
    },
    "zh-hans": {
        "accept": "zh-CN,zh;q=0.9",
        "link": "创建账户",
        "name": "您的姓名",
        "stage": "艺名",
        "email": "邮箱",
        "password": "密码",
        "submit": "创建账户",
        "too_short": "密码长度太短。",
        "welcome": "Nina",
    },
}


@pytest.mark.parametrize("locale", ["en", "zh-hans"])
def test_a_new_influencer_signs_up_in_the_browser(
    browser: Any, live_server: Any, transactional_db: Any, locale: str
) -> None:
    words = WORDS[locale]
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        locale="zh-CN" if locale == "zh-hans" else "en-US",
        extra_http_headers={"Accept-Language": words["accept"]},
    )
    context.set_default_timeout(8_000)
    install_axe(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )

    page.goto("/login/")
    with page.expect_navigation():
        page.get_by_test_id("signup-link").click()
    assert page.locator("html").get_attribute("lang") == locale
    page.get_by_label(words["name"]).fill("Nina")
    page.get_by_label(words["stage"]).fill("Nina Sings")
    page.get_by_label(words["email"]).fill(f"nina-{locale}@creators.example")
    page.get_by_label(words["password"]).fill("short-1")
    with page.expect_navigation():
        page.get_by_role("button", name=words["submit"]).click()
    assert words["too_short"] in page.locator(".field--invalid").inner_text()
    assert serious_violations(page) == []
    screenshot(page, f"signup-refused-{locale}")

    page.get_by_label(words["password"]).fill("violet-harbour-42")
    with page.expect_navigation():
        page.get_by_role("button", name=words["submit"]).click()

    assert page.url.rstrip("/") == live_server.url.rstrip("/")
    assert words["welcome"] in page.get_by_role("heading", level=1).inner_text()
    assert f"nina-{locale}@creators.example" in page.get_by_test_id("account").inner_text()
    screenshot(page, f"signup-dashboard-{locale}")
    context.close()
    assert errors == []
