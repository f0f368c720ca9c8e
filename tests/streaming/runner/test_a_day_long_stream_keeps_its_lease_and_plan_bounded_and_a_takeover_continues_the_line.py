"""A 24/7 stream (43,200 segments a day) must not keep every block it ever planned on its lease, nor every frame's
parameters and samples in memory (nor the list of what a worker's turn published), nor make a worker taking over
re-plan the stream since it began. The runner forgets the blocks the next segment no longer needs (lease and plan
together), so both stay bounded however long the stream runs, and a worker taking over re-plans only the blocks the
lease kept: it continues at the next sequence with the very audio and lines a plan of the whole history would have
(checked against one).

Fast path (tests/streaming/runner/planned_only.py): rows, ledger and chain are real, frames are not drawn."""

from __future__ import annotations

import json
from typing import Any

import pytest

from audit.models import LedgerEvent
from render.engine.stream import CONTEXT_BLOCKS
from render.models import RenderJob, Segment
from render.runtime import renderer_for
from streaming.live.control import NoControl
from streaming.models import StreamLease
from streaming.runner import lease as lease_module
from streaming.runner.loop import run_live_stream
from streaming.runner.plan_blocks import plan_blocks
from tests.streaming.runner.helpers import live_stream, runner_settings
from tests.streaming.runner.planned_only import NoIngest, audio_digest, planned_only

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

SEGMENTS = 150  # five minutes of stream: dozens of blocks, far more than the lease may keep
BLOCKS_KEPT = CONTEXT_BLOCKS + 4  # the block on air, the context before it, one planned ahead, cut-in slack


def test_the_lease_and_the_plan_stay_bounded_and_a_takeover_continues_as_the_whole_plan_would(
    transactional_db: Any, personas: dict[str, Any], monkeypatch: Any
) -> None:
    fake = planned_only(monkeypatch)
    history: list[dict[str, Any]] = []  # every block ever saved on the lease, in order (a spy, not the runner's)
    seen: set[str] = set()
    save = lease_module.save_lease_state

    def spy(claim: Any, **state: Any) -> bool:
        for block in state.get("blocks", []):
            key = json.dumps(block, sort_keys=True)
            if key not in seen:
                seen.add(key)
                history.append(block)
        return save(claim, **state)

    monkeypatch.setattr("streaming.runner.loop.save_lease_state", spy)
    monkeypatch.setattr("streaming.runner.loop.OUTCOME_KEEPS", 40)  # what a turn's outcome lists stays bounded too
    kept: list[int] = []
    fake.hooks.append(lambda sequence, plan, renderer: kept.append(len(StreamLease.objects.get().blocks)))

    stream = live_stream(personas, NoIngest())
    first = run_live_stream(
        stream_id=stream.pk,
        control=NoControl(),
        settings=runner_settings(),
        max_segments=SEGMENTS,
        pace=False,
        push=False,
    )
    assert first.status == "yielded", first
    assert len(history) > 4 * BLOCKS_KEPT  # the stream planned many blocks...
    assert max(kept) <= BLOCKS_KEPT  # ...and its lease never held more than a few
    assert len(StreamLease.objects.get(stream=stream).blocks) <= BLOCKS_KEPT
    # In memory: the plan's samples and lines stay within a few blocks' worth, not growing with the stream's age.
    assert max(fake.held_samples) <= 12 * 96_000
    assert max(fake.held_samples[-20:]) <= max(fake.held_samples[:40]) * 1.5
    assert max(len(plan.lines) for plan in fake.plans.values()) <= BLOCKS_KEPT + 1
    assert fake.plans[SEGMENTS - 1].base_segment > SEGMENTS // 2
    assert first.published == list(range(SEGMENTS - 40, SEGMENTS))  # the latest, not every one since the start

    # Another worker takes over: it re-plans from the lease's blocks, not from the start of the stream.
    second = run_live_stream(
        stream_id=stream.pk, control=NoControl(), settings=runner_settings(), max_segments=4, pace=False, push=False
    )
    assert second.published == [SEGMENTS, SEGMENTS + 1, SEGMENTS + 2, SEGMENTS + 3]
    assert fake.plans[SEGMENTS].base_segment > SEGMENTS // 2
    claims = [e.payload_data for e in LedgerEvent.objects.filter(subject=stream.subject, kind="stream.runner_claimed")]
    assert [(c["takeover"], c["next_sequence"]) for c in claims] == [(False, 0), (True, SEGMENTS)]
    job = RenderJob.objects.get(stream_id=str(stream.public_id))
    assert list(Segment.objects.filter(job=job).order_by("sequence").values_list("sequence", flat=True)) == list(
        range(SEGMENTS + 4)
    )

    # What a plan of the whole history says every published segment holds: the same lines and the same audio,
    # before the takeover (the trimmed plan) and after it (the resumed one).
    whole = plan_blocks(renderer_for(job), history)
    assert whole.base_segment == 0
    renderer = renderer_for(job)
    for sequence in range(SEGMENTS + 4):
        assert fake.lines[sequence] == tuple(whole.segment_line_ids(sequence)), sequence
        assert fake.audio[sequence] == audio_digest(renderer, whole, sequence), sequence
    assert any(line.split(".")[0] != "0" for line in fake.lines[SEGMENTS])  # the playlist looped by then
