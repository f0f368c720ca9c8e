"""The compliance section of the auditor bundle (registered in apps.py): the scope's report as JSON and PDF, and one
per stream when the bundle is narrowed to streams. MANIFEST.json lists their hashes like every other file, so the
bundle's verify.py checks them offline; report.json is the data, the HTML and PDF are for people."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from accounts.models import Organisation
from compliance.pdf import render_pdf
from compliance.reports import build_report, report_html, report_json
from render.models import RenderJob


def write_reports(scope: Any) -> Iterator[tuple[str, bytes]]:
    organisation = Organisation.objects.get(pk=scope.organisation_id)
    if scope.render_job_ids:
        stream_ids = RenderJob.objects.filter(pk__in=scope.render_job_ids).values_list("stream_id", flat=True)
        for stream_id in sorted(stream_ids):
            report = build_report(organisation=organisation, since=scope.since, until=scope.until, stream_id=stream_id)
            yield f"streams/{stream_id}/report.json", report_json(report)
            yield f"streams/{stream_id}/report.html", report_html(report)
            yield f"streams/{stream_id}/report.pdf", render_pdf(report)
        return
    report = build_report(organisation=organisation, since=scope.since, until=scope.until)
    yield "report.json", report_json(report)
    yield "report.html", report_html(report)
    yield "report.pdf", render_pdf(report)
