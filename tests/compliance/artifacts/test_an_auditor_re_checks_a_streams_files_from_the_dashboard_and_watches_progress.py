"""Audrey sees a stream whose files were never examined (its label rules fail closed), presses "Re-check now", and
the dashboard shows the dated result the task stored (these test segments are not video, so the label is missing in
the frames). A check still running shows a progress bar that the page's script polls; when it finishes the page
reloads with the new result. The dashboard itself never decodes video."""

from __future__ import annotations

from typing import Any

import pytest

from tests.compliance.streams import stream
from tests.portal.conftest import login, page, screenshot  # noqa: F401  (the portal's page fixture)

pytestmark = pytest.mark.browser


def test_an_auditor_re_checks_a_streams_files_from_the_dashboard_and_watches_progress(
    page: Any,  # noqa: F811
    personas: dict[str, Any],
    render_environment: Any,
) -> None:
    from django.utils import timezone

    from compliance.models import ArtifactCheck

    job = stream(personas, examined=False)
    login(page, "audrey@audit.example", "audrey-password-1")
    page.locator("#primary-nav a[data-nav='compliance']").click()
    state = page.get_by_test_id("artifact-state").first
    assert "Never examined" in state.inner_text()

    with page.expect_navigation():
        page.get_by_test_id("recheck").first.click()

    state = page.get_by_test_id("artifact-state").first
    assert "Examined" in state.inner_text()
    assert "label missing in frames" in state.inner_text()
    check = ArtifactCheck.objects.get(job=job)
    assert check.status == "done"
    assert check.results["label_presence"]["result"] == "fail"
    screenshot(page, "compliance-artifact-check")

    running = ArtifactCheck.objects.create(
        organisation=job.brand, job=job, status="running", progress_done=1, progress_total=4
    )
    page.reload()
    bar = page.get_by_test_id("artifact-progress").locator("progress")
    assert bar.get_attribute("value") == "1"
    ArtifactCheck.objects.filter(pk=running.pk).update(
        status="done", progress_done=4, finished_at=timezone.now(), results=check.results
    )
    page.get_by_test_id("recheck").first.wait_for(timeout=15_000)  # the script reloaded the page
    assert page.get_by_test_id("artifact-progress").count() == 0
