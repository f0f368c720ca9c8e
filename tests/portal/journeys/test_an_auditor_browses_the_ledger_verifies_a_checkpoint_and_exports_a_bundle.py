"""Audrey, Acme's auditor, in Chromium, in English and in zh-Hans: she browses the ledger (/ledger/), filters it to a
stream, opens an event and verifies its checkpoint in the page (hash, inclusion proof and Ed25519 signature in
WebCrypto), then asks for a signed bundle on /audit/exports/ and sees it reach "ready" with a download link, and
opens the compliance dashboard (/compliance/) where that app is installed. Every page she sees passes axe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from audit.exports import build_export
from audit.services import create_checkpoint, record_event
from audit.tasks import build_audit_export_task
from tests.audit.conftest import ledger_keys  # noqa: F401  (the signing keys fixture)
from tests.portal.conftest import screenshot
from tests.portal.journeys.conftest import Journey

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


def test_an_auditor_browses_the_ledger_verifies_a_checkpoint_and_exports_a_bundle(
    journey: Journey,
    open_context: Any,
    personas: dict[str, Any],
    ledger_keys: Any,  # noqa: F811
    settings: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.AUDIT_EXPORTS_DIR = tmp_path / "exports"
    acme = personas["acme"]
    for n in range(4):
        record_event(kind="audit.test", subject="stream:acme-1", payload={"n": n}, actor=None, organisation=acme)
    chosen = record_event(
        kind="audit.test", subject="stream:acme-2", payload={"line": "大家好"}, actor=None, organisation=acme
    )
    create_checkpoint()
    # The worker is played by the test: the request is queued, then built while the page polls its progress.
    queued: list[int] = []
    monkeypatch.setattr(build_audit_export_task, "delay", queued.append)
    prefix = f"journey-auditor-{journey.locale}"

    page = open_context().new_page()
    journey.login(page, "audrey@audit.example", "audrey-password-1")
    journey.visit(page)

    # The ledger, then filtered to one stream through the page's own filter form.
    journey.visit(page, "/ledger/")
    assert page.locator("[data-testid=ledger-events] tr[data-event]").count() >= 5
    page.locator("[data-testid=ledger-filters] input[name=subject]").fill("stream:acme-2")
    with page.expect_navigation():
        page.locator("[data-testid=ledger-filters] [type=submit]").first.click()
    journey.visit(page)
    rows = page.locator("[data-testid=ledger-events] tr[data-event]")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-event") == str(chosen.pk)
    screenshot(page, f"{prefix}-01-ledger")

    with page.expect_navigation():
        rows.first.locator("a").first.click()
    journey.visit(page)
    page.get_by_role("button", name=journey.t("Verify", "check a ledger event's proof and signature")).click()
    page.locator("[data-testid=verify-status][data-where]").wait_for()  # set when every check is done
    status = page.get_by_test_id("verify-status")
    assert status.get_attribute("data-where") == "browser"
    assert status.inner_text() == journey.t("Verified in your browser (WebCrypto: SHA-256 and Ed25519).")
    checks = page.locator("[data-testid=verify-checks] li")
    assert checks.count() == 5
    assert [checks.nth(i).get_attribute("data-ok") for i in range(5)] == ["true"] * 5
    journey.visit(page)  # the page with its verdict, as she reads it
    screenshot(page, f"{prefix}-02-checkpoint-verified")

    journey.visit(page, "/audit/exports/")
    form = page.get_by_test_id("export-form")
    form.locator("input[name=subject]").fill("stream:acme-2")
    with page.expect_navigation():
        form.get_by_role("button", name=journey.t("Build the bundle")).click()
    row = page.locator("[data-testid=exports] tr[data-export]").first
    assert row.get_attribute("data-status") == "queued"
    assert len(queued) == 1
    build_export(export_id=queued[0])
    row.locator("[data-export-download]").wait_for()
    assert row.get_attribute("data-status") == "done"
    assert row.locator("[data-export-status]").inner_text() == journey.t("Ready")
    journey.visit(page)
    screenshot(page, f"{prefix}-03-export-ready")


def test_an_auditor_opens_the_compliance_dashboard(
    journey: Journey, open_context: Any, personas: dict[str, Any]
) -> None:
    page = open_context().new_page()
    journey.login(page, "audrey@audit.example", "audrey-password-1")
    journey.visit(page, "/compliance/")
    assert page.locator("h1").first.is_visible()
    screenshot(page, f"journey-auditor-{journey.locale}-04-compliance")
