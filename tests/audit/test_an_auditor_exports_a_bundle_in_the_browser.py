"""Audrey asks for Acme's bundle on /audit/exports/, sees its progress reach done, downloads it, and the downloaded
zip verifies with its own verify.py."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

from audit.exports import build_export
from audit.tasks import build_audit_export_task
from tests.audit.bundles import JOB_SUBJECT, run_verifier, seed_ledger
from tests.portal.conftest import login, page, screenshot  # noqa: F401  (the portal's page fixture)

pytestmark = pytest.mark.browser


def test_audrey_builds_and_downloads_a_bundle_that_verifies(
    page: Any,  # noqa: F811
    personas: dict[str, Any],
    ledger_keys: Any,
    settings: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.AUDIT_EXPORTS_DIR = tmp_path / "exports"
    seed_ledger(personas)
    # The worker is played by the test: the request is queued, the page shows it waiting, then the build runs while
    # the page polls its progress.
    queued: list[int] = []
    monkeypatch.setattr(build_audit_export_task, "delay", queued.append)
    login(page, "audrey@audit.example", "audrey-password-1")
    page.goto("/audit/exports/")

    page.get_by_label("Stream or other ledger subject (optional)").fill(JOB_SUBJECT)
    with page.expect_navigation():
        page.get_by_role("button", name="Build the bundle").click()

    row = page.locator("[data-testid=exports] tr[data-export]").first
    assert row.get_attribute("data-status") == "queued"
    assert row.locator("[data-export-download]").count() == 0
    build_export(export_id=queued[0])
    row.locator("[data-export-download]").wait_for(timeout=30_000)
    assert row.get_attribute("data-status") == "done"
    assert row.locator("[data-export-status]").inner_text() == "Ready"
    assert float(row.locator("progress").get_attribute("value") or 0) == 1.0
    screenshot(page, "audit-export-ready")
    with page.expect_download() as download_info:
        row.get_by_role("link", name="Download").click()
    zip_path = tmp_path / "downloaded.zip"
    download_info.value.save_as(zip_path)

    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(tmp_path / "unpacked")
    result = run_verifier(tmp_path / "unpacked")
    assert result.returncode == 0, result.stderr
    assert "12 events in 1 chains" in result.stdout
