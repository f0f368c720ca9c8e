"""The grant wizard's steps as a person does them in the browser, shared by the consent browser tests."""

from __future__ import annotations

import re
from typing import Any

from tests.consent.browser.conftest import Tab, utc_date
from tests.portal.conftest import screenshot


def fill_scope(page: Any) -> None:
    """Step 2 as a person does it: each modality the sample supports, Acme, livestream e-commerce, Douyin, dates."""
    page.get_by_label("Face likeness").check()
    page.get_by_label("Body movement and gestures").check()
    # A verified brand is listed with its legal name and USCC beside the display name.
    page.get_by_label(re.compile(r"^\s*Acme\b")).check()
    page.get_by_label("Livestream e-commerce").check()
    page.get_by_label("Douyin").check()
    page.get_by_label("Valid from").fill(utc_date(0))
    page.get_by_label("Valid until (at most 12 months)").fill(utc_date(180))


def wait_for_step(page: Any, step: str, *, after: str, timeout_ms: int) -> None:
    """Wait until a wizard step shows; fail at once with the wizard's message if the step before it gave up (its
    button comes back enabled with an error in the status line)."""
    page.wait_for_function(
        """([step, after]) => {
            const section = document.querySelector(`[data-step=${step}]`);
            const button = document.querySelector(`[data-action=${after}]`);
            const status = document.querySelector("[data-testid=wizard-status]").textContent.trim();
            return !section.hidden || (!button.disabled && status !== "");
        }""",
        arg=[step, after],
        timeout=timeout_ms,
    )
    status = page.get_by_test_id("wizard-status").inner_text().strip()
    assert page.locator(f"[data-step={step}]").is_visible(), f"the wizard stopped before '{step}': {status}"


def run_wizard_to_signature(tab: Tab, prefix: str) -> None:
    page = tab.page
    page.goto("/consent/new/")
    assert page.get_by_role("heading", name="Grant a consent").is_visible()
    assert page.get_by_text("Digital human licence (v1, English)").is_visible()
    screenshot(page, f"{prefix}-01-read-text")

    fill_scope(page)
    screenshot(page, f"{prefix}-02-scope")
    page.get_by_test_id("draft").click()
    wait_for_step(page, "statement", after="draft", timeout_ms=10_000)
    assert page.get_by_test_id("draft").is_disabled()  # a second click cannot draft a second grant
    sentence = page.get_by_test_id("sentence").inner_text()
    assert "for Acme within the scope I chose" in sentence
    assert "My code is" in sentence
    screenshot(page, f"{prefix}-03-statement-code")

    assert page.get_by_test_id("actions").inner_text().splitlines() == [
        "Turn your head to your left",
        "Open your mouth wide",
        "Turn your head to your right",
    ]

    page.get_by_test_id("record").click()
    page.wait_for_timeout(3_000)
    assert page.get_by_test_id("record").is_disabled()
    assert page.get_by_test_id("wizard-status").inner_text().startswith("Recording")
    # Each action is asked for while its window is open (the first from 2 s to 4.5 s).
    assert page.get_by_test_id("liveness-prompt").inner_text() == "Turn your head to your left"
    screenshot(page, f"{prefix}-04-recording")
    # 11.5 s of recording, then the upload: full decoding, liveness, the spoken code and the face match (seconds).
    wait_for_step(page, "sign", after="record", timeout_ms=180_000)
    # The scope as a sentence; the canonical document it signs sits behind a disclosure.
    summary = page.get_by_test_id("scope-summary").inner_text()
    assert summary.startswith("Acme Trading (Shanghai) Co., Ltd. may use your")
    assert not page.get_by_test_id("document").is_visible()
    assert '"brands"' in (page.get_by_test_id("document").text_content() or "")
    screenshot(page, f"{prefix}-05-sign")
