"""`append(cut=True, at_frame=f)`: what the live runner asks for between the parts of the segment it is rendering.
The interjection is heard within CUT_MAX_CARRY_AT_FRAME_S + CUT_PAUSE_S of frame f (the interrupted speech runs on
to a pause or fades out first), the plan before frame f is unchanged sample for sample and frame for frame (those
frames may be on air already), the plan still ends on a segment boundary, and re-planning the same appends in
another renderer gives the same plan (a worker taking over)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from render.engine.devcerts import make_development_chain
from render.engine.stream import CUT_MAX_CARRY_AT_FRAME_S, CUT_PAUSE_S, StreamConfigError
from tests.render.engine.avatar.sample_avatar import sample_assets
from tests.render.engine.stream.cut_lines import LONG, OPERATOR
from tests.render.engine.stream.rendered import make_renderer

FPS = 25
SEGMENT_FRAMES = 50
FRAME_SAMPLES = 48_000 // FPS


def test_the_line_is_heard_within_a_fraction_of_a_second_of_the_frame(tmp_path: Path) -> None:
    renderer = make_renderer(make_development_chain(tmp_path / "pki"), sample_assets())
    plan = renderer.plan([LONG])
    start, end = plan.line_spans["long"]
    frame = round((start + 1.3) * FPS) | 1  # inside the line and inside a segment, not on its boundary
    segment = frame // SEGMENT_FRAMES
    assert frame % SEGMENT_FRAMES != 0

    cut = renderer.append(plan, OPERATOR, not_before=segment, cut=True, at_frame=frame)

    heard_from = cut.line_spans["op-1"][0]
    assert frame / FPS <= heard_from <= frame / FPS + CUT_MAX_CARRY_AT_FRAME_S + CUT_PAUSE_S + 1 / FPS + 1e-6
    ((cut_segment, line_id, heard),) = cut.cuts
    assert (cut_segment, line_id) == (segment, "long")
    assert frame / FPS - start <= heard < end - start
    assert cut.frame_count % SEGMENT_FRAMES == 0
    assert len(cut.pcm) == cut.frame_count * FRAME_SAMPLES

    # Nothing before the frame changes: it may be encoded and on air already.
    assert np.array_equal(cut.pcm[: frame * FRAME_SAMPLES], plan.pcm[: frame * FRAME_SAMPLES])
    assert cut.gestures[:frame] == plan.gestures[:frame]
    assert np.array_equal(cut.mouth.jaw_open[:frame], plan.mouth.jaw_open[:frame])
    assert np.array_equal(cut.units[:frame], plan.units[:frame])
    assert not np.array_equal(cut.pcm[frame * FRAME_SAMPLES :], plan.pcm[frame * FRAME_SAMPLES : len(cut.pcm)])

    again = make_renderer(make_development_chain(tmp_path / "pki2"), sample_assets())
    replayed = again.append(again.plan([LONG]), OPERATOR, not_before=segment, cut=True, at_frame=frame)
    assert replayed.fingerprint == cut.fingerprint
    # A cut at a frame is another plan than the cut at the segment's start.
    at_boundary = renderer.append(plan, OPERATOR, not_before=segment, cut=True)
    assert at_boundary.fingerprint != cut.fingerprint


def test_a_frame_outside_the_segment_or_without_a_cut_is_refused(tmp_path: Path) -> None:
    renderer = make_renderer(make_development_chain(tmp_path / "pki"), sample_assets())
    plan = renderer.plan([LONG])
    with pytest.raises(StreamConfigError) as outside:
        renderer.append(plan, OPERATOR, not_before=3, cut=True, at_frame=4 * SEGMENT_FRAMES)
    assert outside.value.code == "no_such_frame"
    with pytest.raises(StreamConfigError) as uncut:
        renderer.append(plan, OPERATOR, not_before=3, at_frame=3 * SEGMENT_FRAMES + 5)
    assert uncut.value.code == "cut_frame_without_cut"
