"""An operator's interjection marked "at once" does not wait for the line on air to end: it is planned into the very
next segment the runner renders, the line it interrupts running on to its next pause (at most a second) before it;
the interrupted line is ledgered with the interjection and said again in full afterwards. A queued interjection, sent
at the same point of the same line, waits for the line to end.

Fast path (tests/streaming/runner/planned_only.py): the plan, rows and ledger are real, frames are not drawn."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest

from audit.models import LedgerEvent
from render.models import Segment
from streaming.live.control import Interjection, NoControl
from streaming.runner.loop import run_live_stream
from tests.streaming.runner.helpers import LONG_LINE, SHORT_LINE, live_stream, runner_settings
from tests.streaming.runner.planned_only import NoIngest, planned_only

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@dataclass
class OperatorAtTheConsole(NoControl):
    """Sends its next interjection once the long line is about a second into being spoken (noted by the test's
    publish hook), and records when the runner took and spoke each."""

    to_send: list[Interjection] = field(default_factory=list)
    pending: list[Interjection] = field(default_factory=list)
    accepted: dict[int, int] = field(default_factory=dict)  # interjection -> sequence the runner took it at
    spoken: dict[int, int] = field(default_factory=dict)
    cued: set[str] = field(default_factory=set)

    def cue(self, sequence: int, plan: Any, renderer: Any) -> None:
        following = sequence + 1
        for line_id, (start, end) in plan.line_spans.items():
            on_air = line_id.endswith(".g") and "~" not in line_id and line_id not in self.cued
            if on_air and start < 2.0 * following and end > 2.0 * following + 4.0 and self.to_send:
                self.cued.add(line_id)
                sent = self.to_send.pop(0)
                self.pending.append(sent)
                self.accepted[sent.id] = following

    def pending_interjections(self, stream_id: int) -> list[Interjection]:
        return [x for x in self.pending if x.id not in self.spoken]

    def mark_interjection_spoken(self, interjection_id: int, *, sequence: int, at: datetime) -> None:
        self.spoken[interjection_id] = sequence


def test_at_once_is_planned_into_the_next_segment_and_the_cut_line_is_ledgered(
    transactional_db: Any, personas: dict[str, Any], monkeypatch: Any
) -> None:
    fake = planned_only(monkeypatch)
    bob = personas["bob"]
    control = OperatorAtTheConsole(
        to_send=[
            Interjection(id=1, text="A quick word from the studio, everyone.", at_once=False, by_user_id=bob.pk),
            Interjection(id=2, text="Sorry, one moment please.", at_once=True, by_user_id=bob.pk),
        ]
    )
    fake.hooks.append(control.cue)
    stream = live_stream(personas, NoIngest(), lines=[LONG_LINE, SHORT_LINE])
    outcome = run_live_stream(
        stream_id=stream.pk, control=control, settings=runner_settings(), max_segments=36, pace=False, push=False
    )
    assert outcome.status == "yielded", outcome
    assert set(control.spoken) == {1, 2}

    heard: dict[str, int] = {}
    for sequence, ids in Segment.objects.filter(job__stream_id=str(stream.public_id)).values_list(
        "sequence", "script_line_ids"
    ):
        for line_id in ids:
            heard[line_id] = min(heard.get(line_id, sequence), sequence)

    queued_wait = control.spoken[1] - control.accepted[1]
    at_once_wait = control.spoken[2] - control.accepted[2]
    assert queued_wait >= 2  # the queued line waited for the long line to end
    assert at_once_wait == 0  # planned into the very segment the runner took it at
    assert heard["i2"] <= control.accepted[2] + 1  # heard within one segment (the cut runs to a pause, ≤ 1 s)
    assert heard["i2"] - control.accepted[2] < heard["i1"] - control.accepted[1]

    events = {
        e.payload_data["interjection"]: e.payload_data
        for e in LedgerEvent.objects.filter(subject=stream.subject, kind="stream.interjection_planned")
    }
    assert "interrupted" not in events[1]
    cut = events[2]
    assert cut["at_once"] is True
    assert cut["cut_sequence"] == control.spoken[2]
    (interrupted,) = [x for x in cut["interrupted"] if x["line"].endswith(".g")]
    assert interrupted["heard_s"] > 0.0
    assert f"{interrupted['line']}~{control.spoken[2]}" in cut["restarted"]
    # The interrupted line is said again in full after the interjection.
    assert heard[f"{interrupted['line']}~{control.spoken[2]}"] > heard["i2"]
