"""Compliance pages: the organisation dashboard (rule results at a glance, failing first, evidence links), the report
(HTML and PDF), the impact assessment and staff's legal holds. Views parse, call a selector or service, and format."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organisation, User
from common.api import DomainError
from compliance import selectors, services
from compliance.models import LegalHold
from compliance.pdf import render_pdf
from compliance.reports import build_report, report_sha256
from compliance.retention import ARTIFACT_CLASSES, RETENTION_CLASSES

_RESULT_NAMES = {
    "pass": gettext_lazy("Pass"),
    "fail": gettext_lazy("Fail"),
    "not_applicable": gettext_lazy("Not applicable"),
    "not_checkable": gettext_lazy("Check by hand"),
}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _refusal(request: HttpRequest, exc: DomainError, template: str = "compliance/refused.html") -> HttpResponse:
    return render(
        request, template, {"error": str(exc.detail), "active_nav": "compliance"}, status=int(exc.status_code)
    )


def _evidence(ref: str) -> dict[str, str | None]:
    kind, _sep, value = ref.partition(":")
    url = reverse("ledger-pages:event", args=[int(value)]) if kind == "ledger" and value.isdigit() else None
    return {"ref": ref, "url": url}


def _period(request: HttpRequest) -> tuple[datetime | None, datetime | None, dict[str, str]]:
    raw = {name: request.GET.get(name, "").strip() for name in ("since", "until", "stream")}
    since, until = services.parse_period(raw["since"] or None, raw["until"] or None)
    return since, until, raw


def _rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    chinese = (get_language() or "").startswith("zh")
    return [
        {
            **result,
            "requirement": result["requirement_zh"] if chinese else result["requirement_en"],
            "result_name": str(_RESULT_NAMES[result["result"]]),
            "evidence_links": [_evidence(ref) for ref in result["evidence"]],
        }
        for result in report["results"]
    ]


def _chart(report: dict[str, Any]) -> dict[str, Any]:
    """The timeline as SVG boxes (positions computed here; colours come from compliance.css classes)."""
    width, left = 760.0, 110.0
    spans: list[tuple[datetime, datetime, str, int]] = []
    for stream in report["streams"]:
        for entry in stream["labels"]:
            if entry["at"]:
                start = datetime.fromisoformat(entry["at"].replace("Z", "+00:00"))
                seconds = float(entry.get("duration") or 2)
                spans.append((start, start + timedelta(seconds=seconds), "ok" if entry["labelled"] else "bad", 0))
        consent = stream.get("consent")
        if consent and consent["activated_at"]:
            begin = datetime.fromisoformat(consent["activated_at"].replace("Z", "+00:00"))
            end_text = consent["revoked_at"] or consent["valid_until"]
            end = datetime.fromisoformat(end_text.replace("Z", "+00:00"))
            spans.append((begin, end, "bad" if consent["revoked_at"] else "ok", 1))
        # Answers (row 2) and interjections (row 3): the segment each was spoken in.
        for said in stream.get("spoken") or []:
            if said["at"]:
                start = datetime.fromisoformat(said["at"].replace("Z", "+00:00"))
                end = start + timedelta(seconds=float(said.get("duration") or 2))
                spans.append((start, end, said["kind"], 2 if said["kind"] == "answer" else 3))
    marks = [datetime.fromisoformat(e["at"].replace("Z", "+00:00")) for e in report["timeline"] if e["at"]]
    label_times = [s for s in spans if s[3] == 0]
    times = [t for s in label_times for t in (s[0], s[1])] + marks
    if not times:
        return {"empty": True}
    low, high = min(times), max(times)
    total = max((high - low).total_seconds(), 1.0)

    def x(moment: datetime) -> float:
        return left + max(0.0, min(1.0, (moment - low).total_seconds() / total)) * (width - left - 10)

    boxes = [
        {"x": round(x(a), 1), "y": 10 + row * 34, "w": round(max(x(b) - x(a), 1.5), 1), "cls": cls}
        for a, b, cls, row in spans
    ]
    ticks = [{"x": round(x(m), 1), "y": 10 + 4 * 34} for m in marks]
    return {"empty": False, "boxes": boxes, "ticks": ticks, "low": low, "high": high, "width": int(width)}


def _report_context(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    since, until, raw = _period(request)
    report = build_report(organisation=organisation, since=since, until=until, stream_id=raw["stream"])
    query = "&".join(f"{k}={v}" for k, v in raw.items() if v)
    return {
        "organisation": organisation,
        "report": report,
        "rows": _rows(report),
        "chart": _chart(report),
        "filters": raw,
        "query": query,
        "active_nav": "compliance",
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    organisations = selectors.readable_organisations(request.user)
    if len(organisations) == 1:
        return redirect("compliance:dashboard", slug=organisations[0].slug)
    status = 200 if organisations else 403
    staff = _user(request).is_staff
    return render(
        request,
        "compliance/index.html",
        {"organisations": organisations, "may_assess": staff, "active_nav": "compliance"},
        status=status,
    )


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        organisation = selectors.get_readable_organisation(request.user, slug)
        context = _report_context(request, organisation)
    except DomainError as exc:
        return _refusal(request, exc)
    context.update(
        {
            "influencer_assessments": selectors.influencer_assessments_of(organisation),
            "holds": list(selectors.active_holds(organisation)),
            "stream_rows": _stream_rows(organisation, context["report"]),
        }
    )
    return render(request, "compliance/dashboard.html", context)


def _stream_rows(organisation: Organisation, report: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(stream, its latest finished artifact check with the failing findings, and one still running)."""
    ids = [str(s["stream_id"]) for s in report.get("streams", [])]
    rows: dict[str, dict[str, Any]] = {}
    for stream_id, slot in selectors.artifact_checks_by_stream(organisation, ids).items():
        latest, pending = slot["latest"], slot["pending"]
        failing = []
        if latest is not None:
            failing = [
                key for key, part in latest.results.items() if isinstance(part, dict) and part.get("result") == "fail"
            ]
        rows[stream_id] = {"latest": latest, "pending": pending, "failing": [str(_FINDINGS.get(k, k)) for k in failing]}
    return [(stream, rows[str(stream["stream_id"])]) for stream in report.get("streams", [])]


_FINDINGS = {
    "label_presence": gettext_lazy("label missing in frames"),
    "label_height": gettext_lazy("label text too small"),
    "label_text": gettext_lazy("label text unreadable"),
    "aigc_metadata": gettext_lazy("AIGC metadata"),
    "c2pa": gettext_lazy("C2PA chain"),
    "watermark": gettext_lazy("watermark"),
}


@login_required
@require_POST
def recheck_artifacts(request: HttpRequest, slug: str, stream_id: str) -> HttpResponse:
    """Queue a re-examination of one stream's stored files (the Celery task does the work; the page shows progress)."""
    from compliance.artifacts import request_artifact_check
    from render.models import RenderJob

    try:
        organisation = selectors.get_readable_organisation(request.user, slug)
        job = RenderJob.objects.filter(brand=organisation, stream_id=stream_id).first()
        if job is None:
            raise DomainError(_("No such stream."), code="not_found", status_code=404)
        request_artifact_check(job=job, actor=_user(request))
    except DomainError as exc:
        return _refusal(request, exc)
    return redirect(f"{reverse('compliance:dashboard', args=[organisation.slug])}#artifacts")


@login_required
def artifact_check_progress(request: HttpRequest, slug: str, public_id: uuid.UUID) -> HttpResponse:
    """The progress of one artifact check, polled by compliance/artifact_check.js."""
    try:
        organisation = selectors.get_readable_organisation(request.user, slug)
        check = selectors.get_artifact_check(request.user, organisation, public_id)
    except DomainError as exc:
        return JsonResponse({"error": str(exc.detail)}, status=int(exc.status_code))
    return JsonResponse(
        {"status": check.status, "done": check.progress_done, "total": check.progress_total, "error": check.error}
    )


@login_required
def report_page(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        organisation = selectors.get_readable_organisation(request.user, slug)
        context = _report_context(request, organisation)
    except DomainError as exc:
        return _refusal(request, exc)
    return render(request, "compliance/report.html", context)


@login_required
def report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        organisation = selectors.get_readable_organisation(request.user, slug)
        since, until, raw = _period(request)
        # The reader's language (switcher, Accept-Language), or ?lang=en / ?lang=zh-hans for a copy in the other one.
        language = request.GET.get("lang", "").strip() or get_language() or settings.LANGUAGE_CODE
        if language not in dict(settings.LANGUAGES):
            raise DomainError(_("Choose the language en or zh-hans."), code="unknown_language", status_code=400)
    except DomainError as exc:
        return _refusal(request, exc)
    with translation.override(language):
        report = build_report(organisation=organisation, since=since, until=until, stream_id=raw["stream"])
        data = render_pdf(report)
    services.record_report_generated(
        organisation=organisation, actor=_user(request), report=report, sha256=report_sha256(report)
    )
    name = f"compliance-{organisation.slug}{'-' + raw['stream'][:8] if raw['stream'] else ''}.pdf"
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def assessment_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The brand's view of the assessments behind its uses: each influencer it works with and whether her approved
    assessment is on file (staff write them, per influencer), and the organisation-level records of the first design."""
    try:
        organisation = selectors.get_readable_organisation(request.user, slug)
    except DomainError as exc:
        return _refusal(request, exc)
    context = {
        "organisation": organisation,
        "influencer_assessments": selectors.influencer_assessments_of(organisation),
        "legacy": list(selectors.legacy_assessments_of(organisation)[:20]),
        "staff": _user(request).is_staff,
        "retention_years": 3,
        "active_nav": "compliance",
    }
    return render(request, "compliance/assessment.html", context)


@login_required
def holds_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.is_staff:
        return _refusal(
            request, DomainError(_("Legal holds are placed by platform staff."), code="staff_required", status_code=403)
        )
    error, status = "", 200
    form = {name: request.POST.get(name, "").strip() for name in ("organisation", "stream_id", "reason")}
    if request.method == "POST":
        try:
            organisation = Organisation.objects.filter(slug=form["organisation"]).first()
            if organisation is None:
                raise DomainError(_("Choose an organisation."), code="unknown_organisation", status_code=400)
            services.place_legal_hold(
                organisation=organisation, actor=user, reason=form["reason"], stream_id=form["stream_id"]
            )
        except DomainError as exc:
            error, status = str(exc.detail), int(exc.status_code)
        else:
            return redirect("compliance:holds")
    context = {
        "holds": list(selectors.all_holds()[:100]),
        "organisations": Organisation.objects.order_by("name"),
        "form": form,
        "error": error,
        "classes": [
            {"artifact": artifact, "retention": RETENTION_CLASSES[code]} for artifact, code in ARTIFACT_CLASSES.items()
        ],
        "active_nav": "legal-holds",
    }
    return render(request, "compliance/holds.html", context, status=status)


@login_required
@require_POST
def release_hold(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    hold = LegalHold.objects.filter(public_id=public_id).first()
    try:
        if hold is None:
            raise DomainError(_("No such hold."), code="not_found", status_code=404)
        services.release_legal_hold(hold=hold, actor=_user(request))
    except DomainError as exc:
        return _refusal(request, exc)
    return redirect("compliance:holds")
