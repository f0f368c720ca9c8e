"""A live stream's plan grows: lines are appended while it renders (an operator's interjection, an FAQ answer),
spoken from a segment boundary after what is already planned and not before the next segment to render. Nothing
before that boundary changes, and re-planning the same lines with the same appends (a resumed stream, in a new
renderer) gives the same plan and renders the same bytes (all but the C2PA signature)."""

from __future__ import annotations

import numpy as np
import pytest

from render.engine.avatar import AvatarAssets
from render.engine.fmp4 import iter_boxes
from render.engine.speech import clear_speech_cache
from render.engine.stream import ScriptIntentError, ScriptLine
from tests.render.engine.stream.rendered import LINES, make_renderer, rendered

INTERJECTION = (ScriptLine("op-1", "Thanks for the question!", "en", "thanks"),)
ANSWER = (ScriptLine("faq-7", "是的，今天就发货。", "zh", "agree"),)


def _media(segment: bytes) -> list[bytes]:
    return [segment[b.offset : b.offset + b.size] for b in iter_boxes(segment) if b.kind in ("moof", "mdat")]


def test_appends_extend_the_plan_after_what_was_planned_and_replay_to_the_same_bytes() -> None:
    stream = rendered()
    renderer, base = stream.renderer, stream.plan
    # The stream has rendered all it had and idled one segment before the operator spoke.
    grown = renderer.append(base, INTERJECTION, not_before=base.segment_count + 1)
    grown = renderer.append(grown, ANSWER, not_before=grown.segment_count)

    keep = base.frame_count
    assert grown.blocks == (
        (0, ("line-1", "line-2")),
        (base.segment_count + 1, ("op-1",)),
        (grown.blocks[2][0], ("faq-7",)),
    )
    assert grown.segment_count > base.segment_count + 2
    assert grown.duration_s == 2.0 * grown.segment_count
    assert np.array_equal(grown.pcm[: len(base.pcm)], base.pcm)  # nothing already planned changes
    assert np.array_equal(grown.landmarks[:keep], base.landmarks)
    assert np.array_equal(grown.units[:keep], base.units)
    assert grown.gestures[:keep] == base.gestures
    start, _ = grown.line_spans["op-1"]
    assert start == pytest.approx(2.0 * (base.segment_count + 1))
    idle = grown.pcm[len(base.pcm) : int(start * 48_000)]
    assert np.abs(idle).max() == 0.0  # the idle segment is silent
    assert grown.line_spans["faq-7"][0] >= grown.line_spans["op-1"][1] + 0.45
    assert grown.segment_line_ids(base.segment_count + 1) == ["op-1"]

    # A resumed stream: a new renderer re-plans the script and replays the appends at the same sequences.
    clear_speech_cache()  # as a new worker process: its own TTS, not this process's kept speech
    again = make_renderer(stream.pki, AvatarAssets.from_bytes(stream.assets_path.read_bytes()))
    replayed = again.plan(LINES)
    for first, ids in grown.blocks[1:]:
        lines = [line for line in (*INTERJECTION, *ANSWER) if line.line_id in ids]
        replayed = again.append(replayed, lines, not_before=first)
    assert replayed.fingerprint == grown.fingerprint

    sequence = base.segment_count + 1  # the interjection's first segment
    previous = stream.results[-1].record.manifest_id
    live = renderer.render_segment(grown, sequence, previous_manifest_id=previous)
    resumed = again.render_segment(replayed, sequence, previous_manifest_id=previous)
    assert _media(live.data) == _media(resumed.data)
    assert live.record.script_line_ids == ("op-1",)
    # An already rendered segment renders the same from the grown plan.
    last = base.segment_count - 1
    assert _media(renderer.render_segment(grown, last, previous_manifest_id="x").data) == _media(
        (stream.directory / stream.results[last].uri).read_bytes()
    )


def test_an_append_refuses_ids_already_spoken_and_the_disclosure_id() -> None:
    stream = rendered()
    with pytest.raises(ScriptIntentError, match="line-1"):
        stream.renderer.append(stream.plan, [ScriptLine("line-1", "Again!", "en")], not_before=0)
    with pytest.raises(ScriptIntentError, match="ai-disclosure"):
        stream.renderer.append(stream.plan, [ScriptLine("ai-disclosure", "Hi", "en")], not_before=0)
