"""The answer queue the live runner reads, beside streaming.operator_control.pending_interjections:

    pending_answers(stream_id) -> list[streaming.live.control.Interjection]   queued answers, oldest first,
                                                                             at_once=False (next sentence boundary)
    mark_answer_spoken(answer_id, *, sequence, at)                           once per answer (idempotent), ledgered

The live runner reads the queue through interaction.answers_on_air.answers_to_speak, which re-lints each answer just
before it is spoken (and withdraws one that fails the linter now); pending_answers is the plain read.

`Interjection.id` is the Answer's primary key (its own id space: mark it with mark_answer_spoken, never with
mark_interjection_spoken); `text` is the approved address form plus the approved text; `by_user_id` is the operator
who sent it, or 0 for an answer the matcher chose. Suppressed comments never reach this queue."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from accounts.models import User
from audit.services import record_event
from interaction.models import Answer, Comment
from streaming.live.control import Interjection

SYSTEM_USER_ID = 0


def queue_answer(
    *,
    comment: Comment,
    text: str,
    language: str,
    faq_id: int | None,
    faq_public_id: str | None,
    source: str,
    by: User | None,
) -> Answer:
    """In the caller's transaction: queue an approved sentence for the runner and ledger what will be said to whom."""
    from interaction.decisions import address_forms

    stream = comment.stream
    answer = Answer.objects.create(
        stream=stream,
        comment=comment,
        faq_id=faq_id,
        address=address_forms().get(language, ""),
        text=text,
        language=language,
        source=source,
        by=by,
    )
    Comment.objects.filter(pk=comment.pk).update(handled=True)
    record_event(
        kind="interaction.answer_queued",
        subject=stream.subject,
        payload={
            "stream": str(stream.public_id),
            "comment": str(comment.public_id),
            "answer": str(answer.public_id),
            "faq": faq_public_id,
            "source": source,
            "text": answer.spoken_text,
            "author": comment.author_hash,
            "by": str(by.public_id) if by else None,
        },
        actor=by or "system",
        organisation=stream.organisation,
    )
    return answer


def pending_answers(stream_id: int) -> list[Interjection]:
    rows = (
        Answer.objects.filter(stream_id=stream_id, state=Answer.State.QUEUED)
        .order_by("created_at", "pk")
        .values_list("pk", "address", "text", "by_id")[:20]
    )
    return [
        Interjection(id=pk, text=f"{address}{text}", at_once=False, by_user_id=by or SYSTEM_USER_ID)
        for pk, address, text, by in rows
    ]


def mark_answer_spoken(answer_id: int, *, sequence: int, at: datetime) -> None:
    with transaction.atomic():
        changed = Answer.objects.filter(pk=answer_id, state=Answer.State.QUEUED).update(
            state=Answer.State.SPOKEN, spoken_sequence=sequence, spoken_at=at
        )
        if not changed:
            return
        row = Answer.objects.select_related("stream__organisation", "comment", "faq").get(pk=answer_id)
        # `answer` and `faq` (public ids) are what an auditor follows from a spoken line back to the approved FAQ
        # entry (the segment's script_line_ids name "answer:<answer>"): stable names, docs/ledger.md.
        record_event(
            kind="interaction.answer_spoken",
            subject=row.stream.subject,
            payload={
                "stream": str(row.stream.public_id),
                "answer": str(row.public_id),
                "comment": str(row.comment.public_id),
                "faq": str(row.faq.public_id) if row.faq else None,
                "source": row.source,
                "text": row.spoken_text,
                "sequence": sequence,
                "at": at.isoformat(),
            },
            actor="system",
            organisation=row.stream.organisation,
        )
