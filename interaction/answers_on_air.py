"""The live runner's half of the answer queue (streaming.live.control.LiveControl.pending_answers /
mark_answer_spoken, wired by streaming.runner.platform_control.PlatformControl).

    answers_to_speak(stream_id) -> list[QueuedAnswer]   queued answers, oldest first, each passing the linter NOW
    mark_answer_spoken(answer_id, *, sequence, at)      interaction.answers.mark_answer_spoken (once, ledgered)
    expire_answer(answer_id, *, waited_s, limit_s, at)  one the runner would reach too late goes back to the operator

An answer passed the linter when it was queued (interaction.decisions, interaction.operator_replies), but the word
lists can change while it waits (a list update between queueing and speaking). So just before the runner plans it,
each queued answer's approved text is linted again under today's rules; one with a blocking finding is withdrawn
(state `withdrawn`, never spoken), its comment goes back to the operator with the reason
`answer_fails_linter:<rule>` (the console's feed shows it with its suggestions, so they can send another or type a
reply), and `interaction.answer_withdrawn` is ledgered. Results are cached per answer and rules version, so the
per-segment call costs one indexed query once an answer has been checked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from audit.services import record_event
from interaction.decisions import _answer_blocked, product_names
from interaction.models import Answer, Comment
from streaming.linter import rules_version
from streaming.live.control import QueuedAnswer

MAX_PENDING = 20
MAX_CACHED = 10_000
# (answer pk, rules version) -> blocking rule or "" : an answer's text never changes once queued.
_checked: dict[tuple[int, str], str] = {}


def answers_to_speak(stream_id: int) -> list[QueuedAnswer]:
    rows = list(
        Answer.objects.filter(stream_id=stream_id, state=Answer.State.QUEUED)
        .select_related("faq", "stream")
        .order_by("created_at", "pk")[:MAX_PENDING]
    )
    version = rules_version()
    ready: list[QueuedAnswer] = []
    names: list[str] | None = None
    for row in rows:
        key = (row.pk, version)
        if len(_checked) > MAX_CACHED:  # a long-lived worker: answers once spoken are never asked about again
            _checked.clear()
        if key not in _checked:
            if names is None:
                names = product_names(row.stream.organisation_id)
            blocked = _answer_blocked(row.text, row.language, names)
            _checked[key] = blocked[0] if blocked else ""
        if _checked[key]:
            withdraw_answer(row.pk, rule=_checked[key], rules=version)
            continue
        ready.append(
            QueuedAnswer(
                id=row.pk,
                public_id=str(row.public_id),
                text=row.spoken_text,
                language=row.language,
                faq_public_id=str(row.faq.public_id) if row.faq else None,
                by_user_id=row.by_id or 0,
                queued_at=row.created_at,
            )
        )
    return ready


def expire_answer(answer_id: int, *, waited_s: float, limit_s: float, at: datetime) -> bool:
    """The runner would speak a queued answer only `waited_s` after it was queued, past `limit_s`: it is not spoken
    (state `expired`), its comment goes back to the operator's feed with the reason `answer_expired` (they can send it
    again, and it queues afresh, or type a reply), and `interaction.answer_expired` is ledgered, once."""
    return _not_spoken(
        answer_id,
        state=Answer.State.EXPIRED,
        reason="answer_expired",
        kind="interaction.answer_expired",
        extra={"waited_s": round(waited_s, 2), "limit_s": limit_s, "at": at.isoformat()},
    )


def withdraw_answer(answer_id: int, *, rule: str, rules: str) -> bool:
    """Withdraw a queued answer that fails the linter now and hand its comment back to the operator (once)."""
    return _not_spoken(
        answer_id,
        state=Answer.State.WITHDRAWN,
        reason=f"answer_fails_linter:{rule}",
        kind="interaction.answer_withdrawn",
        extra={"rules_version": rules},
    )


def _not_spoken(answer_id: int, *, state: str, reason: str, kind: str, extra: dict[str, Any]) -> bool:
    """A queued answer leaves the queue unspoken: its comment is the operator's again, with the reason (once)."""
    with transaction.atomic():
        changed = Answer.objects.filter(pk=answer_id, state=Answer.State.QUEUED).update(
            state=state, withdrawn_reason=reason[:64]
        )
        if not changed:
            return False
        row = Answer.objects.select_related("stream__organisation", "comment", "faq").get(pk=answer_id)
        # The operator is told where they answer comments: back in their feed, open, with the reason.
        Comment.objects.filter(pk=row.comment_id).update(
            decision=Comment.Decision.OPERATOR, handled=False, reason=reason[:64]
        )
        record_event(
            kind=kind,
            subject=row.stream.subject,
            payload={
                "stream": str(row.stream.public_id),
                "answer": str(row.public_id),
                "comment": str(row.comment.public_id),
                "faq": str(row.faq.public_id) if row.faq else None,
                "reason": reason,
                **extra,
            },
            actor="system",
            organisation=row.stream.organisation,
        )
    return True
