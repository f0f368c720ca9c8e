"""The operator's half of the live runner's seam (streaming.live.control.LiveControl): module-level functions with the
protocol's exact names and signatures, each one or two indexed queries, called from the runner's process once per
segment outside any transaction it holds.

    pending_interjections(stream_id)                            accepted, not yet spoken, oldest first
    mark_interjection_spoken(interjection_id, *, sequence, at)  once per interjection (idempotent), ledgered
    operator_present(stream_id, now)                            a heartbeat within the timeout; a gap is ledgered
    takeover_active(stream_id)                                  the holding slate airs while True

Beyond the protocol, two calls the runner may make (docs/operator-console.md):

    enforce_presence(stream_id, now)            pause live -> paused for absence, or undo that pause on return
    record_line_position(stream_id, *, index, next_index=None)  which playlist line airs, for the console
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from audit.services import record_event
from streaming.live.control import Interjection
from streaming.models import Interjection as InterjectionRow
from streaming.models import OnAirLine, Stream, Takeover
from streaming.operators import pause_for_absence, presence_lapsed, resume_after_return


def pending_interjections(stream_id: int) -> list[Interjection]:
    rows = (
        InterjectionRow.objects.filter(stream_id=stream_id, state=InterjectionRow.State.ACCEPTED)
        .order_by("created_at", "pk")
        .values_list("pk", "text", "at_once", "by_id")[:50]
    )
    return [Interjection(id=pk, text=text, at_once=at_once, by_user_id=by) for pk, text, at_once, by in rows]


def mark_interjection_spoken(interjection_id: int, *, sequence: int, at: datetime) -> None:
    with transaction.atomic():
        # Conditional: a second worker that took the stream over marks nothing twice, ledgers nothing twice.
        changed = InterjectionRow.objects.filter(pk=interjection_id, state=InterjectionRow.State.ACCEPTED).update(
            state=InterjectionRow.State.SPOKEN, spoken_sequence=sequence, spoken_at=at
        )
        if not changed:
            return
        row = InterjectionRow.objects.select_related("stream__organisation", "by").get(pk=interjection_id)
        record_event(
            kind="stream.interjection_spoken",
            subject=row.stream.subject,
            payload={
                "stream": str(row.stream.public_id),
                "interjection": str(row.public_id),
                "sequence": sequence,
                "at": at.isoformat(),
                "by": str(row.by.public_id),
            },
            actor="system",
            organisation=row.stream.organisation,
        )


def operator_present(stream_id: int, now: datetime) -> bool:
    return not presence_lapsed(stream_id=stream_id, now=now)


def takeover_active(stream_id: int) -> bool:
    return Takeover.objects.filter(stream_id=stream_id, ended_at__isnull=True).exists()


def enforce_presence(stream_id: int, now: datetime) -> str:
    """Pause a live stream whose operators are all absent (ledgered as stream.presence_lapsed then stream.paused,
    by the system), or resume one the platform paused for absence once an operator is back. The state after."""
    state = pause_for_absence(stream_id=stream_id, now=now)
    if state == Stream.State.PAUSED:
        return resume_after_return(stream_id=stream_id)
    return state


def record_line_position(stream_id: int, *, index: int, next_index: int | None = None) -> None:
    """The runner started line `index` of streaming.console_selectors.playlist_lines (and will speak `next_index`
    next; None: the following line, looping)."""
    OnAirLine.objects.update_or_create(
        stream_id=stream_id,
        defaults={"index": max(index, 0), "next_index": next_index, "updated_at": timezone.now()},
    )
