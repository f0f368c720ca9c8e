"""Reads behind a brand's dashboard: its streams by state, today's metered live hours, and recent incidents read
from the ledger by kind. A constant number of queries whatever the number of streams or events.

Incidents are the brand's own `stream.paused`, `stream.failed` and `stream.go_live_refused` events, the live
runner's outage kinds (any catalogued `live.*` kind naming an outage, drop, reconnect or failure: the runner
catalogues them in audit/event_kinds.py), and the consent gate's refusals of the brand's uses
(`consent.use_refused`). The gate's detailed reason is the influencer's alone (consent.services.record_use_refused):
the brand sees only the sentence it is told at the time, never the reason."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from audit.event_kinds import EVENT_KINDS
from audit.models import LedgerEvent
from streaming.metering import local_day
from streaming.models import LiveUsageDay, Stream
from streaming.stream_selectors import STATE_ORDER

# "Today" on the dashboard: the platform's home zone (a stream's own zone decides its licence day).
DASHBOARD_TIME_ZONE = "Asia/Shanghai"
MAX_INCIDENTS = 20
MAX_ACTIVE = 50
STREAM_INCIDENT_KINDS = ("stream.paused", "stream.failed", "stream.go_live_refused")
GATE_REFUSAL_KIND = "consent.use_refused"
OUTAGE_WORDS = ("outage", "disconnect", "reconnect", "dropped", "failed", "lost", "unreachable")


def outage_kinds() -> tuple[str, ...]:
    """The catalogued live runner kinds that are incidents (read from the catalogue, so new ones show up)."""
    return tuple(sorted(k for k in EVENT_KINDS if k.startswith("live.") and any(word in k for word in OUTAGE_WORDS)))


def incident_kinds() -> tuple[str, ...]:
    return (*STREAM_INCIDENT_KINDS, *outage_kinds())


LABELS = {
    "stream.paused": _("Paused"),
    "stream.failed": _("Failed"),
    "stream.go_live_refused": _("Go-live refused"),
    GATE_REFUSAL_KIND: _("Consent refused a use"),
}


@dataclass(frozen=True)
class Incident:
    at: datetime
    kind: str
    label: str
    stream: Stream | None
    detail: str


def _detail(kind: str, payload: dict[str, Any]) -> str:
    if kind == GATE_REFUSAL_KIND:
        return str(_("This influencer has not given you consent for this use."))
    if kind == "stream.go_live_refused":
        return ", ".join(str(c) for c in payload.get("codes") or [])
    return str(payload.get("reason") or payload.get("error") or "")[:300]


def recent_incidents(organisation: Organisation) -> list[Incident]:
    """The newest incidents, newest first (three queries: the brand's events, the gate's refusals of the brand,
    and the streams they name)."""
    own = list(
        LedgerEvent.objects.filter(organisation=organisation, kind__in=incident_kinds())
        .only("kind", "payload", "recorded_at")
        .order_by("-id")[:MAX_INCIDENTS]
    )
    brand_id = str(organisation.public_id)
    # The gate's refusals carry no organisation (the reason is the influencer's): narrowed by kind and payload text.
    refusals = [
        e
        for e in LedgerEvent.objects.filter(kind=GATE_REFUSAL_KIND, payload__contains=brand_id)
        .only("kind", "payload", "recorded_at")
        .order_by("-id")[:MAX_INCIDENTS]
        if json.loads(e.payload).get("brand") == brand_id
    ]
    events = sorted(own + refusals, key=lambda e: e.recorded_at, reverse=True)[:MAX_INCIDENTS]
    payloads = [json.loads(e.payload) for e in events]
    stream_ids = {str(p["stream"]) for p in payloads if p.get("stream")}
    streams = (
        {str(s.public_id): s for s in Stream.objects.filter(organisation=organisation, public_id__in=stream_ids)}
        if stream_ids
        else {}
    )
    return [
        Incident(
            at=e.recorded_at,
            kind=e.kind,
            label=str(LABELS.get(e.kind, _("Live output problem"))),
            stream=streams.get(str(p.get("stream", ""))),
            detail=_detail(e.kind, p),
        )
        for e, p in zip(events, payloads, strict=True)
    ]


def brand_dashboard(organisation: Organisation, *, now: datetime) -> dict[str, Any]:
    counts = {
        row["state"]: row["n"]
        for row in Stream.objects.filter(organisation=organisation).values("state").annotate(n=Count("pk")).order_by()
    }
    states = dict(Stream.State.choices)
    active = list(
        Stream.objects.filter(organisation=organisation, state__in=("live", "paused", "scheduled"))
        .select_related("avatar__influencer")
        .order_by("starts_at", "pk")[:MAX_ACTIVE]
    )
    active.sort(key=lambda s: STATE_ORDER.index(s.state))
    today = local_day(now, DASHBOARD_TIME_ZONE)
    milliseconds = (
        LiveUsageDay.objects.filter(organisation=organisation, day=today).aggregate(ms=Sum("milliseconds"))["ms"] or 0
    )
    return {
        "state_counts": [(state, states[state], counts.get(state, 0)) for state in STATE_ORDER],
        "active_streams": active,
        "today": today,
        "today_hours": round(milliseconds / 3600000, 2),
        "incidents": recent_incidents(organisation),
    }
