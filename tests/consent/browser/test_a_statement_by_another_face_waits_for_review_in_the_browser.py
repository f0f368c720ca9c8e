"""A statement recorded by someone else: iris's training sample shows the astronaut (Eileen Collins), but the camera
shows Grace Hopper. The wizard says the face did not match before she signs; once signed, the consent waits for
staff review (not active), the page says so in words, and the gate refuses it as `pending_review`."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from tests.consent.browser.steps import run_wizard_to_signature
from tests.portal.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_statement_by_a_different_face_leaves_the_consent_pending_review(
    open_tab: Any, verified_iris_with_sample: dict[str, Any], template: Any
) -> None:
    from audit.models import LedgerEvent
    from consent.gate import ConsentDenied, authorize_use
    from consent.models import ConsentGrant

    people = verified_iris_with_sample
    tab = open_tab("grace_hopper")
    page = tab.page
    login(page, "iris@creators.example", "iris-password-1")

    run_wizard_to_signature(tab, "consent-other-face")
    warning = page.get_by_test_id("statement-check")
    assert warning.is_visible()
    assert "did not pass the identity check" in warning.inner_text()
    assert "Face: the face in your statement video did not match the face in your training sample." in (
        warning.inner_text()
    )
    assert not page.get_by_test_id("statement-passed").is_visible()
    grant = ConsentGrant.objects.get(influencer__user=people["iris"])
    assert grant.face_decision == "fail", (grant.face_score, grant.face_decision)
    assert grant.needs_review is True

    with page.expect_navigation(url=f"**/consent/grants/{grant.public_id}/", timeout=30_000):
        page.get_by_test_id("sign").click()
    grant.refresh_from_db()
    assert grant.status == ConsentGrant.Status.PENDING_REVIEW
    assert grant.activated_at is None
    assert page.get_by_test_id("grant-status").inner_text() == "Waiting for staff review"
    note = page.get_by_test_id("status-note").inner_text()
    assert "platform staff must review this consent" in note
    assert "it cannot be used" in note
    assert "Face: the face in your statement video did not match the face in your training sample." in note
    screenshot(page, "consent-other-face-06-pending-review")

    with pytest.raises(ConsentDenied) as denied:
        authorize_use(
            avatar=grant.influencer,
            brand=people["acme"],
            purpose="livestream_ecommerce",
            platform="douyin",
            modalities=["face_likeness"],
            at=timezone.now(),
        )
    assert denied.value.reason == "pending_review"
    recorded = LedgerEvent.objects.get(subject=f"consent:{grant.public_id}", kind="consent.statement_recorded")
    assert recorded.payload_data["face"]["decision"] == "fail"
    assert recorded.payload_data["needs_review"] is True
