"""Reads of the operator console (streaming/console_pages.py, streaming/operator_api.py): the stream's presence,
take-over, interjections, the line on air and the next one, and the tail of its ledger, as one JSON-ready snapshot
that the page gets by server-sent events or, when the event stream drops, by polling."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from accounts.models import User
from audit.models import LedgerEvent
from streaming.models import Interjection, OnAirLine, OperatorHeartbeat, Stream, StreamPresence, Takeover
from streaming.operators import operator_refusal

LEDGER_TAIL = 15
RECENT_INTERJECTIONS = 10


def playlist_lines(stream: Stream) -> list[dict[str, Any]]:
    """Every line of the playlist in order (versions by position, lines in order): the runner reports its place in
    this list through streaming.operator_control.record_line_position."""
    return [
        {
            "text": str(line.get("text", "")),
            "intent": str(line.get("intent", "")),
            "script": entry.version.script.title,
            "version": entry.version.number,
        }
        for entry in stream.playlist.select_related("version__script").order_by("position")
        for line in entry.version.lines or []
    ]


def current_and_next_line(stream: Stream) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The line on air and the next one. Before the runner reports a position there is no current line and the
    next one is the playlist's first; the playlist loops."""
    lines = playlist_lines(stream)
    if not lines:
        return None, None
    position = OnAirLine.objects.filter(stream=stream).first()
    if position is None:
        return None, lines[0]
    current = lines[position.index % len(lines)]
    following = position.next_index if position.next_index is not None else position.index + 1
    return current, lines[following % len(lines)]


def _names(stream: Stream) -> dict[str, str]:
    users = User.objects.filter(memberships__organisation=stream.organisation).only(
        "public_id", "display_name", "email"
    )
    return {f"user:{u.public_id}": u.display_name or u.email for u in users}


def ledger_tail(stream: Stream, limit: int = LEDGER_TAIL) -> list[dict[str, Any]]:
    """The stream's latest ledger events, newest first, with who did each (a name, or "system")."""
    names = _names(stream)
    events = LedgerEvent.objects.filter(subject=stream.subject).order_by("-seq")[:limit]
    return [
        {
            "seq": e.seq,
            "kind": e.kind,
            "at": e.recorded_at.isoformat(),
            "who": names.get(e.actor, e.actor),
            "reason": str(e.payload_data.get("reason") or e.payload_data.get("text") or ""),
        }
        for e in events
    ]


def presence(stream: Stream, now: datetime) -> dict[str, Any]:
    cutoff = now - timedelta(seconds=stream.presence_timeout_s)
    beats = {b.operator_id: b.last_seen_at for b in OperatorHeartbeat.objects.filter(stream=stream)}
    operators = [
        {
            "id": str(u.public_id),
            "name": u.display_name or u.email,
            "last_seen_at": beats[u.pk].isoformat() if u.pk in beats else None,
            "present": u.pk in beats and beats[u.pk] >= cutoff,
        }
        for u in stream.operators.order_by("pk")
    ]
    gap = StreamPresence.objects.filter(stream=stream).values_list("absent_since", flat=True).first()
    return {
        "present": any(o["present"] for o in operators),
        "timeout_s": stream.presence_timeout_s,
        "absent_since": gap.isoformat() if gap else None,
        "operators": operators,
    }


def _interjection_data(row: Interjection) -> dict[str, Any]:
    return {
        "id": str(row.public_id),
        "text": row.text,
        "language": row.language,
        "at_once": row.at_once,
        "state": row.state,
        "by": row.by.display_name or row.by.email,
        "created_at": row.created_at.isoformat(),
        "spoken_at": row.spoken_at.isoformat() if row.spoken_at else None,
        "findings": row.findings,
    }


def interjection_data(row: Interjection) -> dict[str, Any]:
    return _interjection_data(row)


def console_snapshot(stream: Stream, viewer: User, now: datetime | None = None) -> dict[str, Any]:
    """Everything the console shows, for `viewer` (can_operate: whether the controls are theirs to use)."""
    now = now or timezone.now()
    stream.refresh_from_db()
    takeover = Takeover.objects.filter(stream=stream, ended_at__isnull=True).select_related("by").first()
    current, following = current_and_next_line(stream)
    recent = Interjection.objects.filter(stream=stream).select_related("by").order_by("-created_at", "-pk")
    return {
        "stream": str(stream.public_id),
        "state": stream.state,
        "state_label": str(Stream.State(stream.state).label),
        "state_reason": stream.state_reason,
        "can_operate": operator_refusal(stream, viewer) is None,
        "presence": presence(stream, now),
        "takeover": {
            "active": takeover is not None,
            "by": (takeover.by.display_name or takeover.by.email) if takeover else None,
            "since": takeover.started_at.isoformat() if takeover else None,
        },
        "current_line": current,
        "next_line": following,
        "interjections": [_interjection_data(r) for r in recent[:RECENT_INTERJECTIONS]],
        "ledger": ledger_tail(stream),
    }
