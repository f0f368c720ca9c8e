"""A compliance report: the evaluation as plain, JSON-ready data (the HTML page, the PDF and the auditor bundle all
render this one dict), with the timeline of what happened in the period."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language

from accounts.models import Organisation
from audit.models import LedgerEvent
from compliance import spoken
from compliance.evaluator import Evaluation, evaluate

REPORT_FORMAT = "veracast-compliance-report/1"
TIMELINE_LIMIT = 300  # events listed; segment events are summed up per stream instead of listed one by one


def _stamp(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _timeline(evaluation: Evaluation) -> list[dict[str, Any]]:
    events = LedgerEvent.objects.filter(organisation=evaluation.organisation).exclude(kind="segment.published")
    if evaluation.stream_id:
        jobs = [s.job.subject for s in evaluation.streams]
        events = events.filter(subject__in=jobs) if jobs else events.none()
    if evaluation.since is not None:
        events = events.filter(recorded_at__gte=evaluation.since)
    if evaluation.until is not None:
        events = events.filter(recorded_at__lt=evaluation.until)
    rows = events.order_by("recorded_at", "id").values_list("id", "recorded_at", "kind", "subject", "hash")
    return [
        {"event": pk, "at": _stamp(at), "kind": kind, "subject": subject, "hash": digest}
        for pk, at, kind, subject, digest in rows[:TIMELINE_LIMIT]
    ]


def _spoken(facts: Any) -> list[dict[str, Any]]:
    starts = {s.sequence: s for s in facts.segments}
    rows = []
    for said in spoken.spoken_events(spoken.live_stream_of(facts.job)):
        segment = starts.get(said.sequence)
        rows.append(
            {
                "kind": said.kind,
                "id": said.key,
                "sequence": said.sequence,
                "at": _stamp(segment.wall_clock_start) if segment is not None else None,
                "duration": segment.payload.get("duration") if segment is not None else None,
                "evidence": said.ref,
            }
        )
    return rows


def _stream(facts: Any) -> dict[str, Any]:
    segments = facts.segments
    grant = next(iter(facts.grants.values()), None)
    return {
        "stream_id": facts.stream_id,
        "subject": facts.job.subject,
        "platform": facts.job.platform,
        "purpose": facts.job.purpose,
        "status": facts.job.status,
        "segments": len(segments),
        "first_segment_at": _stamp(segments[0].wall_clock_start) if segments else None,
        "last_segment_at": _stamp(segments[-1].wall_clock_start) if segments else None,
        # One entry per segment: start, duration and whether it recorded a label (the chart's label band).
        "labels": [
            {
                "sequence": s.sequence,
                "at": _stamp(s.wall_clock_start),
                "duration": s.payload.get("duration"),
                "labelled": bool((s.payload.get("label_parameters") or {}).get("text")),
                "disclosure": "ai-disclosure" in (s.payload.get("script_line_ids") or []),
            }
            for s in segments
        ],
        # What the live stream said besides its script: answers to comments and operators' interjections, per
        # segment (the chart's answers and interjections bands; compliance.spoken).
        "spoken": _spoken(facts),
        "consent": {
            "grant": str(grant.public_id),
            "activated_at": _stamp(grant.activated_at),
            "valid_until": _stamp(grant.valid_until),
            "revoked_at": _stamp(grant.revoked_at),
        }
        if grant
        else None,
    }


def build_report(
    *,
    organisation: Organisation,
    since: datetime | None = None,
    until: datetime | None = None,
    stream_id: str = "",
    generated_at: datetime | None = None,
) -> dict[str, Any]:
    evaluation = evaluate(organisation=organisation, since=since, until=until, stream_id=stream_id)
    return report_from(evaluation, generated_at=generated_at or timezone.now())


def report_from(evaluation: Evaluation, *, generated_at: datetime) -> dict[str, Any]:
    organisation = evaluation.organisation
    return {
        "format": REPORT_FORMAT,
        "organisation": {"id": str(organisation.public_id), "slug": organisation.slug, "name": organisation.name},
        "stream_id": evaluation.stream_id or None,
        "since": _stamp(evaluation.since),
        "until": _stamp(evaluation.until),
        "generated_at": _stamp(generated_at),
        # The language the detail sentences were written in (the reader's, when the report was built).
        "language": get_language() or "en",
        "catalog_version": evaluation.catalog_version,
        "counts": evaluation.counts(),
        "results": [
            {
                "rule": r.rule.id,
                "status": r.rule.status,
                "source": r.rule.source,
                "requirement_en": r.rule.requirement_en,
                "requirement_zh": r.rule.requirement_zh,
                "numbers": r.rule.numbers,
                "scope": r.rule.scope,
                "result": r.result,
                "detail": r.outcome.detail,
                "evidence": list(r.outcome.evidence),
                "streams": [
                    {"stream_id": s.stream_id, "result": s.outcome.result, "detail": s.outcome.detail}
                    for s in r.streams
                ],
            }
            for r in evaluation.results
        ],
        "streams": [_stream(s) for s in evaluation.streams],
        "timeline": _timeline(evaluation),
        "disclaimer": "Engineering checks against the rule catalog; not legal advice.",
    }


def report_json(report: dict[str, Any]) -> bytes:
    return (json.dumps(report, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()


def report_html(report: dict[str, Any]) -> bytes:
    """The report as one self-contained HTML file (the bundle's and the demo's copy; the portal page is richer)."""
    from django.template.loader import render_to_string

    return render_to_string("compliance/report_file.html", {"report": report}).encode()


def report_sha256(report: dict[str, Any]) -> str:
    return hashlib.sha256(report_json(report)).hexdigest()
