"""The whole consent flow in Debian's Chromium: iris reads the text, chooses the scope, records her statement with
the (fake) camera showing the same face as her training sample, signs with a passkey held by Chromium's virtual
authenticator, downloads and verifies her receipt offline, and revokes with the passkey; the gate then refuses.

Everything on the server runs for real: face match against the vault's sample, WebAuthn verification, Ed25519
countersignature, ledger, Redis version stamp. Screenshots go to test-artifacts/screenshots/consent-*.png.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.consent.browser.steps import run_wizard_to_signature
from tests.portal.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

GATE_USE = {"purpose": "livestream_ecommerce", "platform": "douyin", "modalities": ["face_likeness"]}


def test_iris_grants_acme_a_consent_then_revokes_it_and_the_gate_refuses(
    open_tab: Any, verified_iris_with_sample: dict[str, Any], template: Any, live_server: Any
) -> None:
    from audit.models import LedgerEvent
    from consent.gate import ConsentDenied, authorize_use
    from consent.models import ConsentGrant, WebAuthnCredential
    from consent.receipts import verify_receipt

    people = verified_iris_with_sample
    iris, acme = people["iris"], people["acme"]
    tab = open_tab("astronaut")
    page = tab.page
    login(page, "iris@creators.example", "iris-password-1")

    run_wizard_to_signature(tab, "consent")
    assert page.get_by_test_id("statement-passed").is_visible()
    assert not page.get_by_test_id("statement-check").is_visible()
    grant = ConsentGrant.objects.get(influencer__user=iris)
    assert grant.status == ConsentGrant.Status.PENDING_SIGNATURE
    assert grant.face_decision == "pass", (grant.face_score, grant.face_decision)
    assert grant.needs_review is False
    assert grant.statement is not None
    assert grant.statement.media_info["container"].startswith("matroska")

    # Signing: the wizard registers iris's first passkey in the virtual authenticator, then signs with it.
    with page.expect_navigation(url=f"**/consent/grants/{grant.public_id}/", timeout=30_000):
        page.get_by_test_id("sign").click()
    grant.refresh_from_db()
    assert grant.status == ConsentGrant.Status.ACTIVE
    assert grant.signature_method == "webauthn"
    assert grant.signature["origin"] == live_server.url
    assert WebAuthnCredential.objects.filter(user=iris).count() == 1
    held = tab.cdp.send("WebAuthn.getCredentials", {"authenticatorId": tab.authenticator_id})["credentials"]
    assert len(held) == 1
    assert held[0]["rpId"] == "localhost"
    assert page.get_by_test_id("grant-status").inner_text() == "Active"
    assert page.get_by_test_id("status-note").inner_text().startswith("Active: the brands named below may use it")
    screenshot(page, "consent-06-active")

    assert authorize_use(avatar=grant.influencer, brand=acme, at=timezone.now(), **GATE_USE).pk == grant.pk

    # The receipt: its page says both signatures verify; the downloaded JSON verifies offline too.
    page.get_by_test_id("receipt-link").click()
    page.wait_for_url(f"**/consent/grants/{grant.public_id}/receipt/")
    assert "Both signatures verify" in page.get_by_test_id("receipt-check").inner_text()
    screenshot(page, "consent-07-receipt")
    with page.expect_download() as download_info:
        page.get_by_test_id("receipt-json").click()
    download = download_info.value
    receipt_path = Path(download.path())
    receipt = json.loads(receipt_path.read_bytes())
    assert download.suggested_filename == f"consent-receipt-{grant.public_id}.json"
    assert receipt["grant"] == str(grant.public_id)
    assert receipt["status"] == "active"
    assert receipt["influencer_signature"]["method"] == "webauthn"
    assert verify_receipt(receipt_path.read_bytes()) == []
    tampered = {**receipt, "scope_sha256": "0" * 64}
    assert verify_receipt(tampered) != []

    # Revocation in one step, confirmed with the same passkey.
    page.goto(f"/consent/grants/{grant.public_id}/")
    screenshot(page, "consent-08-before-revoke")
    with page.expect_navigation(timeout=30_000):
        page.get_by_test_id("revoke").click()
    assert page.get_by_test_id("grant-status").inner_text() == "Revoked"
    assert not page.get_by_test_id("revoke").is_visible()
    assert "It can no longer be used" in page.get_by_test_id("status-note").inner_text()
    screenshot(page, "consent-09-revoked")
    grant.refresh_from_db()
    assert grant.status == ConsentGrant.Status.REVOKED
    assert grant.revocation["method"] == "webauthn"

    with pytest.raises(ConsentDenied) as denied:
        authorize_use(avatar=grant.influencer, brand=acme, at=timezone.now(), **GATE_USE)
    assert denied.value.reason == "revoked"

    page.goto("/consent/")
    assert page.get_by_test_id("grant-status").inner_text() == "Revoked"
    screenshot(page, "consent-10-my-consents")

    kinds = list(
        LedgerEvent.objects.filter(subject=f"consent:{grant.public_id}").order_by("id").values_list("kind", flat=True)
    )
    assert kinds == [
        "consent.drafted",
        "consent.statement_challenge_issued",
        "consent.statement_recorded",
        "consent.signed",
        "consent.revoked",
    ], kinds
    recorded = LedgerEvent.objects.get(subject=f"consent:{grant.public_id}", kind="consent.statement_recorded")
    assert recorded.payload_data["face"]["decision"] == "pass"
    signed = LedgerEvent.objects.get(subject=f"consent:{grant.public_id}", kind="consent.signed")
    assert signed.payload_data["template_sha256"] == template.content_sha256
    assert signed.payload_data["influencer_signature"]["method"] == "webauthn"
    assert LedgerEvent.objects.filter(kind="passkey.registered", subject=f"user:{iris.public_id}").count() == 1
    # Nothing else of iris's was live and no legal hold applies: her data key was destroyed with a certificate.
    assert LedgerEvent.objects.filter(
        kind="vault.key_destroyed", subject=f"influencer:{grant.influencer.public_id}"
    ).exists()
