"""Nina's whole journey in Chromium, in English and in zh-Hans: she signs up on /signup/, is verified by staff (not
her journey: done through the service), uploads her training sample on /consent/sample/, grants Acme a consent in
the wizard (statement recorded by the fake camera, signed with a passkey in Chromium's virtual authenticator), and
once Acme has built an avatar from her likeness (the brand's side, done through the service here) her dashboard
lists it, by Acme, ready, standing on her consent. Every page she sees passes axe; screenshots are kept under
test-artifacts/screenshots/journey-influencer-<language>-*.png."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone, translation
from playwright.sync_api import expect

from tests.consent.browser.conftest import utc_date
from tests.consent.browser.steps import wait_for_step
from tests.pia import assess
from tests.portal.a11y.axe import install_axe, serious_violations
from tests.portal.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# A loaded machine (two cores, several runs at once) decodes and scores slowly: generous waits, never sleeps.
SAMPLE_CHECK_MS = 240_000
STATEMENT_CHECK_MS = 300_000


def _t(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def _verify_nina(nina: Any, sam: Any) -> None:
    """What staff do on their verification page: an adult's ID card checked."""
    from accounts.identity import gb11643_check_character
    from accounts.services import record_real_name

    born = date(1996, 5, 4)
    first17 = f"110101{born:%Y%m%d}123"
    record_real_name(
        user=nina,
        legal_name="Nina Example",
        id_number=first17 + gb11643_check_character(first17),
        date_of_birth=born,
        method="id_card_nfc",
        verified_by=sam,
    )


def _acme_builds_an_avatar(nina: Any, personas: dict[str, Any]) -> Any:
    """Acme's side: the avatar is requested through the service (the gate finds her consent) and the worker's
    result recorded, as the render worker does."""
    from render.models import Avatar
    from render.services import create_avatar

    with transaction.atomic():
        avatar = create_avatar(
            influencer=nina.influencer,
            brand=personas["acme"],
            actor=personas["alice"],
            purpose="livestream_ecommerce",
            platform="douyin",
        )
        Avatar.objects.filter(pk=avatar.pk).update(status=Avatar.Status.READY, progress=1.0, built_at=timezone.now())
    avatar.refresh_from_db()
    return avatar


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_new_influencer_signs_up_uploads_a_sample_grants_consent_and_sees_her_avatar(
    open_tab: Any, personas: dict[str, Any], template: Any, astronaut_sample: bytes, language: str
) -> None:
    from accounts.models import User
    from consent.models import ConsentGrant, SampleUpload

    prefix = f"journey-influencer-{language}"
    violations: dict[str, list[str]] = {}
    tab = open_tab("astronaut", language)
    page = tab.page
    install_axe(page.context)

    def check(name: str) -> None:
        assert page.locator("html").get_attribute("lang") == language, f"{name} is not in {language}"
        found = serious_violations(page)
        if found:
            violations[name] = found
        screenshot(page, f"{prefix}-{name}")

    # 1. Sign-up.
    page.goto("/login/")
    with page.expect_navigation():
        page.get_by_test_id("signup-link").click()
    check("01-signup")
    email = f"nina-{language}@creators.example"
    page.locator("input[name=display_name]").fill("Nina")
    page.locator("input[name=stage_name]").fill("Nina Sings")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill("violet-harbour-42")
    with page.expect_navigation():
        page.locator("form button[type=submit]").last.click()
    nina = User.objects.get(email=email)
    assert email in page.get_by_test_id("account").inner_text()
    check("02-dashboard-new")
    _verify_nina(nina, personas["sam"])
    # Staff also write and approve her impact assessment (PIPL Arts. 55-56; their own page is tested in
    # tests/compliance): without it the gate refuses the avatar build at the end.
    assess(nina.influencer, personas["sam"])

    # 2. The training sample, from the dashboard's link.
    page.reload()
    with page.expect_navigation():
        page.get_by_test_id("sample-upload-link").click()
    check("03-sample")
    page.get_by_test_id("sample-file").set_input_files(
        {"name": "me.mp4", "mimeType": "video/mp4", "buffer": astronaut_sample}
    )
    expect(page.get_by_test_id("sample-accepted")).to_be_visible(timeout=SAMPLE_CHECK_MS)
    assert page.get_by_test_id("sample-refused").is_hidden()
    assert SampleUpload.objects.get(influencer__user=nina).status == SampleUpload.Status.FINISHED
    check("04-sample-accepted")

    # 3. The consent wizard: the scope (labels in her language), the statement, the passkey signature.
    page.goto("/consent/new/")
    for label in ("Face likeness", "Body movement and gestures", "Livestream e-commerce", "Douyin"):
        page.get_by_label(_t(language, label), exact=True).check()
    page.locator(f"input[name=brands][value='{personas['acme'].public_id}']").check()
    page.get_by_label(_t(language, "Valid from")).fill(utc_date(0))
    page.get_by_label(_t(language, "Valid until (at most 12 months)")).fill(utc_date(180))
    check("05-wizard-scope")
    page.get_by_test_id("draft").click()
    wait_for_step(page, "statement", after="draft", timeout_ms=60_000)
    page.get_by_test_id("record").click()
    wait_for_step(page, "sign", after="record", timeout_ms=STATEMENT_CHECK_MS)
    check("06-wizard-sign")
    grant = ConsentGrant.objects.get(influencer__user=nina)
    with page.expect_navigation(url=f"**/consent/grants/{grant.public_id}/", timeout=60_000):
        page.get_by_test_id("sign").click()
    grant.refresh_from_db()
    assert grant.status == ConsentGrant.Status.ACTIVE
    assert page.get_by_test_id("grant-status").inner_text() == _t(language, "Active")
    check("07-consent-active")

    # 4. Acme builds an avatar from her likeness; her dashboard shows it.
    avatar = _acme_builds_an_avatar(nina, personas)
    page.goto("/")
    row = page.get_by_test_id("likeness-avatars").locator(f"tr[data-avatar='{avatar.public_id}']")
    expect(row).to_be_visible(timeout=20_000)
    assert row.locator("td").first.inner_text() == personas["acme"].name
    assert row.get_by_test_id("avatar-status").inner_text() == _t(language, "Ready")
    assert row.get_by_test_id("avatar-consent").get_attribute("href") == f"/consent/grants/{grant.public_id}/"
    check("08-dashboard-avatar")

    assert violations == {}, "axe found serious or critical violations:\n" + "\n".join(
        f"{name}:\n  " + "\n  ".join(lines) for name, lines in violations.items()
    )
