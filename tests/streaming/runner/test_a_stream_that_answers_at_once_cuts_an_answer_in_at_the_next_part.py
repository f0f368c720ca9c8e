"""A stream set to answer viewers at once (`answers_at_once`) does not wait for the line on air to end: a queued
answer cuts in at the next part the runner renders, heard within a fraction of a second of that frame (the line
reaches a pause or fades first), is marked spoken in that segment, and the line it interrupted is said again from
the next segment. A stream that answers after the line (the default) speaks the same answer only when the line is
over. An answer never breaks off another: a second one, queued with the first, is said after it.

Fast path (tests/streaming/runner/planned_only.py): the plan, the cuts, rows and ledger are real, frames are not
drawn."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest

from render.engine.stream import CUT_MAX_CARRY_AT_FRAME_S, CUT_PAUSE_S
from streaming.live.control import NoControl, QueuedAnswer
from streaming.models import Stream
from streaming.runner.loop import run_live_stream
from tests.streaming.runner.helpers import LONG_LINE, SHORT_LINE, live_stream, runner_settings
from tests.streaming.runner.planned_only import NoIngest, planned_only

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

ANSWER = QueuedAnswer(
    id=7, public_id="a7", text="@Lily, it ships tomorrow.", language="en", faq_public_id="faq1", by_user_id=0
)
SECOND = QueuedAnswer(
    id=8, public_id="a8", text="@Tom, it comes in three colours.", language="en", faq_public_id="faq2", by_user_id=0
)


@dataclass
class ViewerAsks(NoControl):
    """The answer is queued while the long line is on air: at the runner's third look in the next segment (its start,
    then after the first and the second part)."""

    looks_left: int = -1
    sent_in: int = -1
    spoken: dict[int, int] = field(default_factory=dict)
    asked: tuple[QueuedAnswer, ...] = (ANSWER,)

    def cue(self, sequence: int, plan: Any, renderer: Any) -> None:
        for line_id, (start, end) in plan.line_spans.items():
            if self.sent_in < 0 and line_id.endswith(".g") and start < 2.0 * sequence and end > 2.0 * sequence + 6:
                self.sent_in, self.looks_left = sequence + 1, 3

    def pending_answers(self, stream_id: int) -> list[QueuedAnswer]:
        if self.looks_left > 0:
            self.looks_left -= 1
        return [x for x in self.asked if x.id not in self.spoken] if self.looks_left == 0 else []

    def mark_answer_spoken(self, answer_id: int, *, sequence: int, at: datetime) -> None:
        self.spoken[answer_id] = sequence


def _run(
    personas: dict[str, Any], monkeypatch: Any, *, at_once: bool, asked: tuple[QueuedAnswer, ...] = (ANSWER,)
) -> tuple[Any, ViewerAsks]:
    fake = planned_only(monkeypatch)
    control = ViewerAsks(asked=asked)
    fake.hooks.append(control.cue)
    stream = live_stream(personas, NoIngest(), lines=[LONG_LINE, SHORT_LINE])
    Stream.objects.filter(pk=stream.pk).update(answers_at_once=at_once)
    outcome = run_live_stream(
        stream_id=stream.pk, control=control, settings=runner_settings(), max_segments=14, pace=False, push=False
    )
    assert outcome.status == "yielded", outcome
    return fake, control


def test_the_answer_cuts_in_at_the_next_part(transactional_db: Any, personas: dict[str, Any], monkeypatch: Any) -> None:
    fake, control = _run(personas, monkeypatch, at_once=True)
    sequence = control.sent_in
    assert control.spoken == {7: sequence}
    plan = fake.plans[sequence]
    cut_frame = sequence * 60 + 2 * 6  # after the segment's second part
    heard_from = plan.line_spans["answer:a7"][0]
    assert cut_frame / 30 <= heard_from <= cut_frame / 30 + CUT_MAX_CARRY_AT_FRAME_S + CUT_PAUSE_S + 1 / 30 + 1e-6
    assert "answer:a7" in fake.lines[sequence]
    (cut,) = plan.cuts
    assert cut[1].endswith(".g")
    restarted = [s for s, ids in fake.lines.items() if f"{cut[1]}~{sequence}" in ids]
    assert restarted
    assert min(restarted) > sequence


def test_a_stream_that_answers_after_the_line_waits_for_it(
    transactional_db: Any, personas: dict[str, Any], monkeypatch: Any
) -> None:
    fake, control = _run(personas, monkeypatch, at_once=False)
    sequence = control.sent_in
    (answered_in,) = control.spoken.values()
    long_line = next(k for k in fake.plans[answered_in].line_spans if k.endswith(".g"))
    assert fake.plans[answered_in].line_spans["answer:a7"][0] >= fake.plans[answered_in].line_spans[long_line][1]
    assert answered_in > sequence
    assert not fake.plans[answered_in].cuts


def test_a_second_answer_waits_for_the_first_to_end(
    transactional_db: Any, personas: dict[str, Any], monkeypatch: Any
) -> None:
    fake, control = _run(personas, monkeypatch, at_once=True, asked=(ANSWER, SECOND))
    assert set(control.spoken) == {7, 8}
    plan = fake.plans[max(fake.plans)]
    first, second = plan.line_spans["answer:a7"], plan.line_spans["answer:a8"]
    assert second[0] >= first[1]  # said after the first, which was heard whole
    assert first[1] - first[0] > 1.0
    assert not any(line_id.startswith("answer:a7~") for line_id in plan.line_spans)
    assert control.spoken[8] >= control.spoken[7]
