"""Journey, in Chromium, once in English and once in zh-Hans: sam (platform staff, reviewers group) verifies the
brand Initech from its page, then opens the consent waiting for review, watches the statement video and the
training sample side by side (both decoded by the browser from the byte-range endpoint), and approves it with a
written reason. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from audit.models import LedgerEvent
from tests.consent.helpers import published_template, register_passkey
from tests.consent.review_helpers import grant_waiting_for_review
from tests.data_dir import point_settings_at
from tests.portal.conftest import login, screenshot

pytestmark = pytest.mark.browser

SAYS = {
    "en": {"verified": "Initech is verified.", "approved": "The consent of Iris Live is approved and active."},
    "zh-hans": {"verified": "Initech", "approved": "Iris Live 的授权已批准，现已生效。"},
}
BOTH_PLAYABLE = """() => [...document.querySelectorAll('video')].map((v) => [v.readyState, v.videoWidth])"""


@pytest.fixture
def world(personas: dict[str, Any], settings: Any, tmp_path: Path) -> dict[str, Any]:
    from accounts.brands import submit_legal_entity
    from accounts.services import create_organisation
    from audit.keys import init_keys
    from consent import broadcast, gate

    keys = point_settings_at(settings, tmp_path / "data")
    settings.WEBAUTHN_RP_ID = "localhost"
    settings.WEBAUTHN_ORIGINS = ["http://localhost"]
    init_keys()
    settings.VAULT_MASTER_KEY = (keys / "vault-master.key").read_text().strip()
    gate.clear_cache()
    broadcast.reset_connections()
    initech = create_organisation(name="Initech", slug="initech", owner=personas["charlie"])
    submit_legal_entity(
        organisation=initech, actor=personas["charlie"], legal_name="Initech Co., Ltd.", uscc="91110000802100433B"
    )
    template = published_template(personas["sam"])
    grant = grant_waiting_for_review(personas, template, register_passkey(personas["iris"]))
    return {"initech": initech, "grant": grant}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_staff_verify_a_brand_and_review_a_statement(
    page: Any, personas: dict[str, Any], world: dict[str, Any], live_server: Any, language: str
) -> None:
    login(page, personas["sam"].email, "sam-password-1")
    if language != "en":
        page.context.add_cookies([{"name": "veracast_language", "value": language, "url": live_server.url}])
        page.reload()
    assert page.locator("html").get_attribute("lang") == language

    # Brand verification: the queue, Initech's page, Verify.
    page.locator("[data-nav=brand-reviews]").click()
    page.get_by_test_id("brand-review-initech").get_by_role("link").click()
    assert "Initech Co., Ltd." in page.get_by_test_id("legal-entity").inner_text()
    screenshot(page, f"staff-{language}-01-brand")
    with page.expect_navigation():
        page.locator("[data-testid=brand-decision] button[value=verify]").click()
    assert SAYS[language]["verified"] in page.locator(".message--success").inner_text()
    world["initech"].refresh_from_db()
    assert world["initech"].is_verified

    # Consent review: the queue, the grant's page with both videos playing, then approve with a reason.
    page.locator("[data-nav=consent-review]").click()
    page.get_by_test_id("review-item").get_by_role("link").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('video')].every((v) => v.readyState >= 2 && v.videoWidth > 0)",
        timeout=15_000,
    )
    videos = page.evaluate(BOTH_PLAYABLE)
    assert len(videos) == 2
    assert all(state >= 2 and width == 320 for state, width in videos)  # decoded frames of both 320x240 videos
    assert page.get_by_test_id("statement-video").is_visible()
    assert page.get_by_test_id("sample-video").is_visible()
    assert "consent.signed" in page.get_by_test_id("grant-history").inner_text()
    screenshot(page, f"staff-{language}-02-review")
    # On a phone the two videos stack and nothing scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    screenshot(page, f"staff-{language}-02-review-phone")
    page.set_viewport_size({"width": 1280, "height": 860})

    page.locator("#review-reason").fill("Same person; the statement was filmed in poor light.")
    with page.expect_navigation():
        page.locator("[data-testid=review-decision] button[value=approve]").click()
    assert SAYS[language]["approved"] in page.locator(".message--success").inner_text()
    screenshot(page, f"staff-{language}-03-approved")
    grant = world["grant"]
    grant.refresh_from_db()
    assert grant.status == "active"
    viewed = {
        e.payload_data["media"]
        for e in LedgerEvent.objects.filter(subject=f"consent:{grant.public_id}", kind="consent.media_viewed")
    }
    assert viewed == {"statement", "sample"}
