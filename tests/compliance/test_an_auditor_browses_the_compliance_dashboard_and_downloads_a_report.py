"""Audrey opens Compliance from the navigation, sees Acme's failing rule first with the evidence that decided it,
follows it to the ledger event, opens the stream's report and downloads its PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.compliance.streams import LABEL, stream
from tests.portal.conftest import login, page, screenshot  # noqa: F401  (the portal's page fixture)

pytestmark = pytest.mark.browser


def test_an_auditor_browses_the_compliance_dashboard_and_downloads_a_report(
    page: Any,  # noqa: F811
    personas: dict[str, Any],
    tmp_path: Path,
) -> None:
    from audit.models import LedgerEvent

    # A label 30 px high on a 720 px wide portrait frame: 4.2 % of the shortest side.
    job = stream(personas, label={**LABEL, "text_height_px": 30})
    login(page, "audrey@audit.example", "audrey-password-1")

    page.locator("#primary-nav a[data-nav='compliance']").click()
    page.get_by_role("heading", name="Acme").wait_for()
    first = page.locator("[data-testid=rule-results] tbody tr").first
    assert first.get_attribute("data-rule") == "CN-GB-VIDEO-HEIGHT"
    assert first.get_attribute("data-result") == "fail"
    assert "(< 5 %)" in first.inner_text()
    assert page.get_by_test_id("result-counts").locator(".result--fail strong").inner_text() == "1"
    assert page.get_by_test_id("timeline-chart").is_visible()
    screenshot(page, "compliance-dashboard-auditor")

    evidence = first.locator("a").first
    with page.expect_navigation():
        evidence.click()
    assert "segment.published" in page.content()
    page.go_back()

    page.get_by_test_id("compliance-streams").get_by_role("link", name="Report").click()
    page.get_by_role("heading", name="Compliance report").wait_for()
    assert job.stream_id in page.content()
    # The first PDF of a process loads matplotlib and the CJK font: allow it more than the default 5 s.
    page.set_default_timeout(60_000)
    with page.expect_download() as download_info:
        page.get_by_test_id("download-pdf").click()
    pdf = tmp_path / "report.pdf"
    download_info.value.save_as(pdf)

    assert pdf.read_bytes().startswith(b"%PDF-")
    assert download_info.value.suggested_filename == f"compliance-acme-{job.stream_id[:8]}.pdf"
    generated = LedgerEvent.objects.get(kind="compliance.report_generated")
    assert generated.payload_data["stream_id"] == job.stream_id
    assert generated.payload_data["failed"] == 1
