"""Answers to viewers' comments in the live plan (docs/live-interaction.md, "On air").

At each segment the runner plans, in this order: pending operator interjections, then the queued answers its
LiveControl hands it (already re-linted: streaming.runner.platform_control → interaction.answers_on_air), then the
playlist's next lines. An answer becomes one plan line of its own, appended after what is already planned (the next
sentence boundary), with the approved text exactly as queued (address form + stored FAQ answer or the operator's
linted reply: nothing is generated), the answer's own language, and the host's current tone (its rate, pitch and
gesture: streaming/runner/toned_lines.py). Its line id `answer:<public id>` is what the
segment record (`script_line_ids`, ledgered in `segment.published`) names; the control marks it spoken with the
segment it starts in and ledgers `interaction.answer_spoken` (answer and FAQ public ids).

The block is saved on the lease before the answer is marked spoken (as for interjections): a worker that dies in
between leaves the line in the saved plan; the next worker finds it there and only marks it, so it is never spoken
twice.

Answers wait for what is planned before them, and viewers can ask faster than the host speaks. Before an answer is
appended, the segment it would start in is asked of the engine (`next_line_segment`); an answer that would air more
than `answer_max_wait_seconds` after it was queued is not planned but expired (the control hands its comment back to
the operator), so the queue of answers stays a few sentences long and the host keeps to its script between them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Protocol

from django.utils import timezone

from streaming.live.control import LiveControl, QueuedAnswer
from streaming.models import Stream
from streaming.runner.config import RunnerSettings
from streaming.runner.plan_blocks import PLAYLIST_LINE
from streaming.runner.toned_lines import in_host_tone

ANSWER_VERSION = "answer"  # the plan block's `version` (not a script version: never metered as one)
LINE_PREFIX = "answer:"
INTENT = "agree"  # a nod while answering (render.engine's intents)


class _Planner(Protocol):
    control: LiveControl
    plan: Any
    stream: Stream
    renderer: Any
    sequence: int  # the next segment to render
    on_air_at: datetime  # when that segment's first frame is on air
    cfg: RunnerSettings

    def _append(self, lines: list[dict[str, Any]], *, version: str) -> None: ...

    def append_cutting(
        self, lines: list[dict[str, Any]], *, version: str, cut: bool = True, at_frame: int | None = None
    ) -> Any: ...


def answer_line(answer: QueuedAnswer) -> dict[str, Any]:
    return {
        "id": f"{LINE_PREFIX}{answer.public_id}",
        "text": answer.text,
        "language": answer.language,
        "intent": INTENT,
    }


def plan_answers(
    run: _Planner, answers: list[QueuedAnswer], *, at_frame: int | None = None
) -> list[tuple[QueuedAnswer, int]]:
    """Append each answer as the next line and mark it spoken from its first segment; (answer, sequence) each.
    `at_frame` (a stream that answers at once, rendered a part at a time): the oldest answer still in time cuts into
    the script line on air at that frame, at its next pause (the line is said again after it), and the others wait
    for a later cut. Nothing cuts while an answer, an interjection or the disclosure is being said: a viewer's answer
    never breaks off another's."""
    if at_frame is not None:
        return _cut_in_answer(run, answers, at_frame)
    planned: list[tuple[QueuedAnswer, int]] = []
    limit = float(run.cfg.answer_max_wait_seconds)
    for answer in answers:
        line = in_host_tone(run.stream, answer_line(answer))  # the words as approved; the host's tone and gesture
        sequence = _planned_at(run, line["id"])
        if sequence is None:
            waited = _wait_if_planned_now(run, answer)
            if waited is not None and waited > limit:
                run.control.expire_answer(answer.id, waited_s=waited, limit_s=limit, at=timezone.now())
                continue
            run._append([line], version=ANSWER_VERSION)
            sequence = run.plan.blocks[-1][0]
        run.control.mark_answer_spoken(answer.id, sequence=sequence, at=timezone.now())
        planned.append((answer, sequence))
    return planned


def _cut_in_answer(run: _Planner, answers: list[QueuedAnswer], at_frame: int) -> list[tuple[QueuedAnswer, int]]:
    limit = float(run.cfg.answer_max_wait_seconds)
    heard = speaking_at(run.plan, at_frame)
    if heard is not None and not PLAYLIST_LINE.match(heard):
        return []  # an answer, an interjection or the disclosure is being said: wait for the script to resume
    now = timezone.now()
    for answer in answers:
        line = in_host_tone(run.stream, answer_line(answer))
        sequence = _planned_at(run, line["id"])
        if sequence is None:
            if answer.queued_at is not None and (waited := (now - answer.queued_at).total_seconds()) > limit:
                run.control.expire_answer(answer.id, waited_s=waited, limit_s=limit, at=now)
                continue
            run.append_cutting([line], version=ANSWER_VERSION, at_frame=at_frame)
            sequence = run.plan.blocks[-1][0]
        run.control.mark_answer_spoken(answer.id, sequence=sequence, at=timezone.now())
        return [(answer, sequence)]
    return []


def speaking_at(plan: Any, frame: int) -> str | None:
    """The line heard at `frame` of the plan (None: a pause, or past the plan's speech)."""
    t = frame / plan.config.fps
    return next((line_id for line_id, (s, e) in plan.line_spans.items() if s <= t < e), None)


def _wait_if_planned_now(run: _Planner, answer: QueuedAnswer) -> float | None:
    """Seconds from the answer's queueing to its first word on air if appended now; None without a queue time."""
    if answer.queued_at is None:
        return None
    first = run.renderer.next_line_segment(run.plan, not_before=run.sequence)
    seconds = float(run.renderer.config.segment_seconds)
    airs_at = run.on_air_at + timedelta(seconds=(first - run.sequence) * seconds)
    return (airs_at - answer.queued_at).total_seconds()


def _planned_at(run: _Planner, line_id: str) -> int | None:
    """The first segment of an answer already in the plan (a dead worker planned it), else None."""
    for first, line_ids in run.plan.blocks:
        if line_id in line_ids:
            return int(first)
    return None
