"""A 24/7 stream cannot keep every frame's parameters and samples since it began (about 1 GB an hour), nor re-plan
them all when a worker takes over. `trim(plan, n)` drops what comes before the block spoken from segment n (already
rendered); `resume(lines, spoken_from=n)` is what a worker taking over plans from the blocks it was handed. A new
block's gestures depend only on the CONTEXT_BLOCKS blocks before it, so from the block after those the trimmed plan
(the worker that kept running) and the resumed one (the worker that took over) hold the same audio, gestures,
landmarks and mouth path, and grow the same way, a cut-in included."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from render.engine.devcerts import make_development_chain
from render.engine.speech import clear_speech_cache
from render.engine.stream import CONTEXT_BLOCKS, ScriptLine, StreamPlan, StreamRenderer
from tests.render.engine.avatar.sample_avatar import sample_assets
from tests.render.engine.stream.rendered import make_renderer

LINES = [
    ScriptLine("a", "Hello everyone, welcome to the live room!", "en", "greet"),
    ScriptLine("b", "Tap follow so you do not miss the next deal.", "en", "follow"),
    ScriptLine("c", "Thanks for joining us tonight, friends.", "en", "thanks"),
    ScriptLine("d", "This jacket is warm, it is light, and it comes in three colours.", "en", "idle"),
]
CUT_IN = [ScriptLine("op", "One moment please.", "en", "idle")]


def _same_from(x: StreamPlan, y: StreamPlan, renderer: StreamRenderer, first: int) -> None:
    assert x.segment_count == y.segment_count
    for sequence in range(first, x.segment_count):
        assert np.array_equal(renderer.segment_audio(x, sequence), renderer.segment_audio(y, sequence))
    fx, fy = first * x.frames_per_segment - x.base_frame, first * y.frames_per_segment - y.base_frame
    assert x.gestures[fx:] == y.gestures[fy:]
    for name in ("landmarks", "to_px", "targets", "units"):
        assert np.array_equal(getattr(x, name)[fx:], getattr(y, name)[fy:]), name
    assert np.array_equal(x.mouth.jaw_open[fx:], y.mouth.jaw_open[fy:])
    assert {k: v for k, v in x.line_spans.items() if v[1] > 2.0 * first} == {
        k: v for k, v in y.line_spans.items() if v[1] > 2.0 * first
    }


def test_the_worker_that_kept_running_and_the_one_that_took_over_agree(tmp_path: Path) -> None:
    renderer = make_renderer(make_development_chain(tmp_path / "pki"), sample_assets())
    plan = renderer.plan(LINES[:1])
    appended: list[tuple[ScriptLine, int]] = []
    for line in LINES[1:]:
        not_before = plan.segment_count - 1  # the runner appends while the last segment is still to render
        plan = renderer.append(plan, [line], not_before=not_before)
        appended.append((line, not_before))
    assert len(plan.blocks) == 4

    needed = 3  # the block holding the next segment to render; keep CONTEXT_BLOCKS before it
    head = needed - CONTEXT_BLOCKS
    head_from = plan.blocks[head][0]
    trimmed = renderer.trim(plan, head_from)
    assert trimmed.base_segment == head_from
    assert len(trimmed.pcm) == len(plan.pcm) - head_from * trimmed.samples_per_segment
    assert len(trimmed.gestures) == trimmed.frame_count - trimmed.base_frame
    assert [line.line_id for line in trimmed.lines] == ["b", "c", "d"]
    assert "a" not in trimmed.line_spans

    # The worker taking over plans the kept blocks only: the head from where it was spoken, then the appends.
    clear_speech_cache()  # as a new worker process: its own TTS, not this process's kept speech
    again = make_renderer(make_development_chain(tmp_path / "pki2"), sample_assets())
    resumed = again.resume([LINES[head]], spoken_from=head_from)
    for line, not_before in appended[head:]:
        resumed = again.append(resumed, [line], not_before=not_before)
    first = plan.blocks[needed][0]
    _same_from(plan, trimmed, renderer, first)
    _same_from(trimmed, resumed, renderer, first)

    # Both grow the same way, with an "at once" cut into the line on air.
    cut_at = first + 1
    grown = renderer.append(trimmed, CUT_IN, not_before=cut_at, cut=True)
    regrown = again.append(resumed, CUT_IN, not_before=cut_at, cut=True)
    assert grown.cuts == regrown.cuts
    assert grown.cuts[0][1] == "d"
    _same_from(grown, regrown, renderer, cut_at)

    # A segment of the kept blocks renders from the trimmed plan; one before them is not there any more.
    rendered = renderer.render_segment(grown, cut_at, previous_manifest_id="m")
    assert rendered.record.script_line_ids[-1] in ("d", "op")
    assert renderer.trim(grown, grown.blocks[-1][0]).base_segment == cut_at
