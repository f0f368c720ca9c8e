"""In Chromium, on the embedded default (tasks in-process), a brand owner builds an avatar from Iris's consent: she
chooses the consent, reads the gate's answer, starts the build, and the avatar page answers at once and follows
the build by itself (the work runs on a thread, not in her request). She then starts a render of an approved
script (a double click makes one job), watches its progress on the job page, and verifies a segment: the verifier's
answer is shown as sentences. Once in English and once in Chinese (chosen with the language switcher's cookie);
screenshots are kept under test-artifacts/screenshots/."""

from __future__ import annotations

import re
from typing import Any

import pytest

from render.models import Avatar, RenderJob
from tests.portal.conftest import login, page, screenshot  # noqa: F401  (the portal's page fixture)
from tests.render.helpers import SHORT_LINES, grant_for, store_sample
from tests.streaming.scripts_factory import approved_script

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SAYS = {
    "en": {
        "gate": "The consent gate allows it: Iris Live's consent covers Face likeness",
        "queued": "The avatar is queued for building.",
        "consent": "Consent active until",
        "progress": "segments published",
        "done": "{n} of {n} segments published",
        "stream": "The whole stream verifies",
        "ledger": "its hash recomputes",
    },
    "zh-hans": {
        "gate": "同意网关允许：Iris Live 的授权涵盖",
        "queued": "数字人已排队等待构建。",
        "consent": "授权有效至",
        "progress": "个片段",
        "done": "已发布 {n} / {n} 个片段",
        "stream": "整条流验证通过",
        "ledger": "重新计算后一致",
    },
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_build_render_watch_and_verify(page: Any, personas: dict[str, Any], language: str) -> None:  # noqa: F811
    from playwright.sync_api import expect

    says = SAYS[language]

    grant = grant_for(personas)
    store_sample(personas["iris"].influencer)
    script = approved_script(personas, SHORT_LINES, title="Spring launch")
    login(page, "alice@acme.example", "alice-password-1")
    if language != "en":  # the language switcher's cookie, as if she had chosen Chinese in the header
        origin = re.match(r"https?://[^/]+", page.url)
        assert origin is not None
        page.context.add_cookies([{"name": "veracast_language", "value": "zh-hans", "url": origin.group(0)}])

    # Build an avatar: the consent, the use, the gate's answer, then start.
    page.goto("/render/")
    page.get_by_test_id("build-avatar-link").click()
    page.locator(f'input[name=grant][value="{grant.public_id}"]').check()
    page.locator("#purpose").select_option("livestream_ecommerce")
    page.locator("#platform").select_option("douyin")
    page.get_by_test_id("ask-gate").click()
    answer = page.get_by_test_id("gate-sentence")
    expect(answer).to_have_attribute("data-allowed", "1")
    expect(answer).to_contain_text(says["gate"])
    screenshot(page, f"brand-journey-{language}-1-gate-answer")
    page.get_by_test_id("start-build").click()

    # The page came back while the build is still queued or running: it follows the build by itself.
    page.wait_for_url(re.compile(r"/render/avatars/[0-9a-f-]+/$"))
    expect(page.get_by_text(says["queued"])).to_be_visible()
    assert page.locator("progress[data-poll]").count() == 1
    expect(page.get_by_test_id("consent-state")).to_contain_text(says["consent"])
    start = page.get_by_test_id("start-render-link")
    start.wait_for(timeout=240_000)  # shown once the build has finished (the page reloads itself)
    assert Avatar.objects.get().status == Avatar.Status.READY
    screenshot(page, f"brand-journey-{language}-2-avatar-ready")

    # Start a render with its options; a double click makes one job.
    start.click()
    page.locator("#script_version").select_option(script.version_id)
    page.locator("#resolution").select_option("720p")
    page.locator("#fps").select_option("25")
    with page.expect_navigation(url=re.compile(r"/render/jobs/[0-9a-f-]+/$")):
        page.get_by_test_id("start-render").dblclick()
    assert RenderJob.objects.count() == 1

    # Watch the progress: the count moves and the page reloads itself when the job ends.
    expect(page.get_by_test_id("job-progress")).to_be_visible()
    expect(page.get_by_test_id("job-progress-text")).to_contain_text(says["progress"])
    page.locator("[data-job][data-active='0']").wait_for(timeout=300_000)
    job = RenderJob.objects.get()
    assert job.status == RenderJob.Status.DONE, (job.error_code, job.error_message)
    expect(page.get_by_test_id("job-progress-text")).to_have_text(says["done"].format(n=job.segment_count))
    assert page.get_by_test_id("verify-segment").count() == job.segment_count
    page.wait_for_function(
        "() => { const v = document.getElementById('player'); return v && v.readyState >= 1; }", timeout=20_000
    )
    screenshot(page, f"brand-journey-{language}-3-render-done")

    # Verify a segment: the stream verifier's answer, as sentences.
    page.locator("tr[data-segment='1']").get_by_test_id("verify-segment").click()
    verdict = page.get_by_test_id("verification-verdict")
    expect(verdict).to_have_attribute("data-ok", "1")
    expect(page.get_by_test_id("verification-sentences")).to_contain_text(says["stream"])
    expect(page.get_by_test_id("verification-sentences")).to_contain_text(says["ledger"])
    screenshot(page, f"brand-journey-{language}-4-verified")
