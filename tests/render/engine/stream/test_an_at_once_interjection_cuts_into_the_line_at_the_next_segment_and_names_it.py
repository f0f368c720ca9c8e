"""An "at once" interjection (`append(cut=True)`) does not wait for the line being spoken to end: it cuts in at the
next segment not rendered yet (segments are encoded independently, and earlier ones may be on air), the interrupted
speech running on to its next pause (a clause break) or fading out within CUT_MAX_CARRY_S. A queued interjection
waits for the line to end. The plan names the line cut short and how much of it was heard; nothing before the cut
changes, and re-planning the same appends in another renderer gives the same plan (a worker taking over)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from render.engine.devcerts import make_development_chain
from render.engine.stream import CUT_MAX_CARRY_S, CUT_PAUSE_S
from tests.render.engine.avatar.sample_avatar import sample_assets
from tests.render.engine.stream.cut_lines import LONG, OPERATOR
from tests.render.engine.stream.rendered import make_renderer


def test_an_at_once_line_cuts_in_at_the_next_segment_and_the_queued_one_waits(tmp_path: Path) -> None:
    renderer = make_renderer(make_development_chain(tmp_path / "pki"), sample_assets())
    plan = renderer.plan([LONG])
    start, end = plan.line_spans["long"]
    assert end - start > 5.0  # long enough to be interrupted
    cut_at = math.ceil((start + 1.0) / 2.0)  # the next segment to render, about a second into the line
    assert 2.0 * cut_at < end - 2.0

    queued = renderer.append(plan, OPERATOR, not_before=cut_at)
    at_once = renderer.append(plan, OPERATOR, not_before=cut_at, cut=True)

    assert queued.line_spans["op-1"][0] >= end  # queued: after the line
    heard_from = at_once.line_spans["op-1"][0]
    assert 2.0 * cut_at <= heard_from <= 2.0 * cut_at + CUT_MAX_CARRY_S + CUT_PAUSE_S + 1 / 25 + 1e-6
    assert "op-1" in at_once.segment_line_ids(cut_at) + at_once.segment_line_ids(cut_at + 1)
    assert heard_from < queued.line_spans["op-1"][0]
    assert at_once.blocks[-1] == (cut_at, ("op-1",))

    # The plan names what was cut: the long line, heard from its start to the cut.
    ((sequence, line_id, heard),) = at_once.cuts
    assert (sequence, line_id) == (cut_at, "long")
    assert 2.0 * cut_at - start <= heard < end - start
    assert at_once.line_spans["long"] == pytest.approx((start, start + heard))
    assert queued.cuts == ()

    # Nothing rendered before the cut changes; the cut lands in a pause or a fade, then silence before the line.
    sps = 48_000 * 2
    assert np.array_equal(at_once.pcm[: cut_at * sps], plan.pcm[: cut_at * sps])
    cut_sample = round((start + heard) * 48_000)
    assert np.abs(at_once.pcm[cut_sample - 48 : cut_sample]).max() < 0.05
    assert np.abs(at_once.pcm[cut_sample + 1 : round(heard_from * 48_000) - 1]).max() == 0.0
    frames = cut_at * 50
    assert at_once.gestures[:frames] == plan.gestures[:frames]

    # A worker taking over re-plans the same blocks to the same plan.
    again = make_renderer(make_development_chain(tmp_path / "pki2"), sample_assets())
    replayed = again.append(again.plan([LONG]), OPERATOR, not_before=cut_at, cut=True)
    assert replayed.fingerprint == at_once.fingerprint
    assert replayed.cuts == at_once.cuts


def test_the_spoken_disclosure_is_never_cut(tmp_path: Path) -> None:
    renderer = make_renderer(make_development_chain(tmp_path / "pki"), sample_assets())
    plan = renderer.plan([LONG])
    at_once = renderer.append(plan, OPERATOR, not_before=0, cut=True)
    assert at_once.line_spans["op-1"][0] > plan.disclosure_span[1]
    assert all(line_id != "ai-disclosure" for _, line_id, _ in at_once.cuts)
