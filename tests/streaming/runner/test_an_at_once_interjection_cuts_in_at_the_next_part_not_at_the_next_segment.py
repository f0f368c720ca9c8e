"""With the runner rendering a segment a part at a time (LIVE_PART_FRAMES), an "at once" interjection sent while a
segment is being rendered cuts in at the next frame not rendered yet, inside that segment: it is heard within a
fraction of a second of that frame (the interrupted speech fades or reaches a pause first), the ledger names the
frame, the interrupted line is said again from the next segment, and the lease keeps the cut's frame, so a worker
taking over re-plans the very same audio.

Fast path (tests/streaming/runner/planned_only.py): the plan, the cuts, rows and ledger are real, frames are not
drawn."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest

from audit.models import LedgerEvent
from render.engine.stream import CUT_MAX_CARRY_AT_FRAME_S, CUT_PAUSE_S
from render.models import RenderJob
from render.runtime import renderer_for
from streaming.live.control import Interjection, NoControl
from streaming.models import StreamLease
from streaming.runner.loop import run_live_stream
from streaming.runner.plan_blocks import plan_blocks
from tests.streaming.runner.helpers import LONG_LINE, SHORT_LINE, live_stream, runner_settings
from tests.streaming.runner.planned_only import NoIngest, audio_digest, planned_only

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

PART = 6


@dataclass
class OperatorMidSegment(NoControl):
    """Sends an at-once line while the long line is on air: it becomes pending at the runner's third look in the
    next segment (its start, then after the first and the second part), so the cut falls 12 frames into it."""

    line: Interjection = field(
        default_factory=lambda: Interjection(id=9, text="Sorry, one moment please.", at_once=True, by_user_id=1)
    )
    looks_left: int = -1
    sent_in: int = -1
    spoken: dict[int, int] = field(default_factory=dict)

    def cue(self, sequence: int, plan: Any, renderer: Any) -> None:
        for line_id, (start, end) in plan.line_spans.items():
            if self.sent_in < 0 and line_id.endswith(".g") and start < 2.0 * sequence and end > 2.0 * sequence + 6:
                self.sent_in, self.looks_left = sequence + 1, 3

    def pending_interjections(self, stream_id: int) -> list[Interjection]:
        if self.looks_left > 0:
            self.looks_left -= 1
        return [self.line] if self.looks_left == 0 and self.line.id not in self.spoken else []

    def mark_interjection_spoken(self, interjection_id: int, *, sequence: int, at: datetime) -> None:
        self.spoken[interjection_id] = sequence


def test_the_cut_is_made_at_the_frame_and_a_takeover_replans_it(
    transactional_db: Any, personas: dict[str, Any], monkeypatch: Any
) -> None:
    fake = planned_only(monkeypatch)
    control = OperatorMidSegment()
    fake.hooks.append(control.cue)
    stream = live_stream(personas, NoIngest(), lines=[LONG_LINE, SHORT_LINE])
    settings = runner_settings(part_frames=PART)
    outcome = run_live_stream(
        stream_id=stream.pk,
        control=control,
        settings=settings,
        max_segments=12,
        pace=False,
        push=False,
        release_at_end=False,
    )
    assert outcome.status == "yielded", outcome
    sequence = control.sent_in
    assert control.spoken == {9: sequence}

    (event,) = [
        e.payload_data for e in LedgerEvent.objects.filter(subject=stream.subject, kind="stream.interjection_planned")
    ]
    cut_frame = sequence * 60 + 2 * PART
    assert event["at_frame"] == cut_frame
    assert event["cut_sequence"] == sequence
    (interrupted,) = event["interrupted"]
    assert interrupted["line"].endswith(".g")
    assert interrupted["heard_s"] > 0.0

    plan = fake.plans[sequence]
    heard_from = plan.line_spans["i9"][0]
    assert cut_frame / 30 <= heard_from <= cut_frame / 30 + CUT_MAX_CARRY_AT_FRAME_S + CUT_PAUSE_S + 1 / 30 + 1e-6
    assert "i9" in fake.lines[sequence]  # heard in the very segment it was sent during
    restarted = f"{interrupted['line']}~{sequence}"
    assert event["restarted"] == [restarted]
    later = [s for s, ids in fake.lines.items() if restarted in ids]
    assert later
    assert min(later) > sequence

    # The lease keeps the cut's frame: a worker taking over plans the same audio for the segments still to come.
    lease = StreamLease.objects.get(stream=stream)
    assert any(b.get("at_frame") == cut_frame for b in lease.blocks)
    last = max(fake.plans)
    replanned = plan_blocks(renderer_for(RenderJob.objects.get()), list(lease.blocks))
    assert audio_digest(renderer_for(RenderJob.objects.get()), replanned, last) == fake.audio[last]
