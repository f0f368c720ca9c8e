"""What a live stream said besides its script: the answers to viewers' comments and the operators' interjections,
and whether each answer is traceable to an approved FAQ answer.

The live runner ledgers every answer it speaks (`interaction.answer_spoken`: the answer's public id and the segment
`sequence`) and every interjection (`stream.interjection_spoken`) under the stream's subject; the segment's
`script_line_ids` name them too. The Answer row (interaction.models) says what was said (`text`, the approved
address form before it) and which FAQ entry it came from; the catalog's ledger says which answers the brand
approved for that entry (`faq.created` / `faq.updated`: `answer_sha256`). An answer traces when its text hashes to
one of them, approved before it was spoken — so an FAQ edited afterwards does not break the trace, and a typed reply
or an answer changed on its way to the runner fails.

Lines a person wrote on air are the other traceable kind: an operator's interjection or typed reply was linted
before it was accepted (a refused one is kept but never queued) and names the operator who typed it, the real-name,
verified person who drives the stream (rules.md: real-person driving). Such a line traces to that record and that
person, not to a reviewer's approval; the report says so line by line. A line that was refused by the linter, or
that names nobody, fails."""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from audit.models import LedgerEvent

ANSWER_SPOKEN = "interaction.answer_spoken"
INTERJECTION_SPOKEN = "stream.interjection_spoken"
# Line ids of spoken answers in `script_line_ids`: "a<Answer pk>" (beside the runner's "i<interjection id>"),
# "answer:<public id>" or the bare public id.
_ANSWER_PK = re.compile(r"^a(\d+)$")
_INTERJECTION = re.compile(r"^i(\d+)$")


@dataclass(frozen=True)
class Spoken:
    """One answer or interjection heard in segment `sequence` (ref: the ledger event that says so, if any)."""

    kind: str  # "answer" | "interjection"
    key: str  # the answer's public id or pk ("pk:<n>"), the interjection's id
    sequence: int
    ref: str


def live_stream_of(job: Any) -> Any:
    """The live Stream a render job aired (its lease names the job), or None for a rendered-only job."""
    from streaming.models import StreamLease

    lease = StreamLease.objects.filter(job=job).select_related("stream").first()
    return lease.stream if lease is not None else None


def answer_key(line_id: str) -> str | None:
    """The answer a script line id names ("pk:<n>" or its public id), or None when it is not an answer's."""
    match = _ANSWER_PK.match(line_id)
    if match:
        return f"pk:{match.group(1)}"
    value = line_id.removeprefix("answer:")
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def interjection_key(line_id: str) -> str | None:
    match = _INTERJECTION.match(line_id)
    return match.group(1) if match else None


def spoken_events(stream: Any) -> list[Spoken]:
    """The answers and interjections the runner ledgered as spoken in the live stream, in ledger order."""
    if stream is None:
        return []
    rows = LedgerEvent.objects.filter(subject=stream.subject, kind__in=(ANSWER_SPOKEN, INTERJECTION_SPOKEN)).order_by(
        "seq"
    )
    found: list[Spoken] = []
    for event in rows.iterator(chunk_size=2000):
        payload = event.payload_data
        if event.kind == ANSWER_SPOKEN:
            found.append(
                Spoken("answer", str(payload.get("answer")), int(payload.get("sequence", -1)), f"ledger:{event.pk}")
            )
        else:
            found.append(
                Spoken(
                    "interjection",
                    str(payload.get("interjection")),
                    int(payload.get("sequence", -1)),
                    f"ledger:{event.pk}",
                )
            )
    return found


def _approved_hashes(faq_public_id: str, before: datetime | None) -> set[str]:
    """The SHA-256 of every answer the brand approved for the FAQ entry (its catalog ledger events) by `before`."""
    # The payload is stored as its RFC 8785 text (no spaces, sorted keys): a substring narrows, the parse decides.
    events = LedgerEvent.objects.filter(
        kind__in=("faq.created", "faq.updated"), payload__contains=f'"faq":"{faq_public_id}"'
    )
    if before is not None:
        events = events.filter(recorded_at__lte=before)
    return {
        str(e.payload_data["answer_sha256"])
        for e in events
        if e.payload_data.get("faq") == faq_public_id and e.payload_data.get("answer_sha256")
    }


def trace_answer(key: str, *, stream: Any) -> tuple[str | None, str]:
    """(problem or None, evidence ref) for the answer `key` spoken in `stream`."""
    from interaction.models import Answer

    rows = Answer.objects.select_related("faq")
    answer = rows.filter(pk=int(key[3:])).first() if key.startswith("pk:") else rows.filter(public_id=key).first()
    if answer is None:
        return _("answer %(id)s is not on file") % {"id": key}, f"answer:{key}"
    ref = f"answer:{answer.public_id}"
    if stream is None or answer.stream_id != stream.pk:
        return _("answer %(id)s belongs to another stream") % {"id": answer.public_id}, ref
    faq_public_id = str(answer.faq.public_id) if answer.faq is not None else _queued_faq(answer)
    if not faq_public_id:
        if answer.source == answer.Source.TYPED and answer.by_id is not None:
            return None, f"{ref}:typed-by:{answer.by_id}"  # linted by operator_replies before it was queued
        problem = _("answer %(id)s is neither an approved FAQ answer nor an operator's reply")
        return problem % {"id": answer.public_id}, ref
    spoken = hashlib.sha256(answer.text.encode()).hexdigest()
    if spoken not in _approved_hashes(faq_public_id, answer.spoken_at or None):
        return (
            _("answer %(id)s's text is not an answer approved for FAQ %(faq)s")
            % {"id": answer.public_id, "faq": faq_public_id},
            ref,
        )
    return None, f"faq:{faq_public_id}"


def trace_interjection(key: str, *, stream: Any) -> tuple[str | None, str]:
    """(problem or None, evidence ref) for the interjection `key` (its id) spoken in `stream`: on file for this
    stream, accepted by the linter, typed by a named operator."""
    from streaming.models import Interjection

    found = stream is not None and key.isdigit()
    row = Interjection.objects.filter(pk=int(key), stream=stream).first() if found else None
    if row is None:
        return _("interjection %(id)s is not on file for this stream") % {"id": key}, f"interjection:{key}"
    ref = f"interjection:{row.public_id}"
    if row.state == Interjection.State.REFUSED:
        return _("interjection %(id)s was refused by the linter") % {"id": row.public_id}, ref
    return None, f"{ref}:typed-by:{row.by_id}"


def _queued_faq(answer: Any) -> str:
    """The FAQ the answer was queued from, by the ledger (its entry may have been deleted since)."""
    wanted = str(answer.public_id)
    events = LedgerEvent.objects.filter(kind="interaction.answer_queued", payload__contains=f'"answer":"{wanted}"')
    for event in events.order_by("seq"):
        if event.payload_data.get("answer") == wanted:
            return str(event.payload_data.get("faq") or "")
    return ""
