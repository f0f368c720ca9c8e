"""A LiveSegment renders a segment a few frames at a time and takes a new plan between two parts (an at-once line cut
in at its next frame). The parts it hands out, put together, are the segment's samples, and the segment it signs
at the end holds the very media `render_segment` gives for the final plan: the archive, the C2PA chain and a
worker taking over see one segment, however it was rendered."""

from __future__ import annotations

from pathlib import Path

import pytest

from render.engine import fmp4
from render.engine.devcerts import make_development_chain
from render.engine.live_segment import LiveSegment
from render.engine.stream import StreamConfigError
from tests.render.engine.avatar.sample_avatar import sample_assets
from tests.render.engine.stream.cut_lines import LONG, OPERATOR
from tests.render.engine.stream.rendered import make_renderer

PART = 6


def _mdat(data: bytes) -> bytes:
    box = fmp4.find_box(data, "mdat")
    assert box is not None
    return data[box.payload_offset : box.offset + box.size]


def test_parts_with_a_cut_between_them_make_the_segment_of_the_cut_plan(tmp_path: Path) -> None:
    renderer = make_renderer(make_development_chain(tmp_path / "pki"), sample_assets())
    plan = renderer.plan([LONG])
    start, _ = plan.line_spans["long"]
    sequence = int(start // 2) + 1  # a segment inside the line
    live = LiveSegment(renderer, plan, sequence, previous_manifest_id="previous")
    parts = [live.render(PART), live.render(PART)]
    cut_frame = live.next_frame
    cut = renderer.append(plan, OPERATOR, not_before=sequence, cut=True, at_frame=cut_frame)
    live.replan(cut)
    while not live.done:
        parts.append(live.render(PART))
    with_parts = live.finish(wall_clock_start=None)

    whole = renderer.render_segment(cut, sequence, previous_manifest_id="previous")
    assert _mdat(with_parts.data) == _mdat(whole.data)
    assert with_parts.record.script_line_ids == whole.record.script_line_ids == ("long", "op-1")
    assert with_parts.record.plan_fingerprint == cut.fingerprint

    # The parts are the segment's samples, in order and each once: what the RTMP output sent is what is signed.
    frames = [p.first_frame + i for p in parts for i in range(len(p.video))]
    assert frames == list(range(sequence * 50, (sequence + 1) * 50))
    audio_times = [p.first_audio_sample + 1024 * i for p in parts for i in range(len(p.audio))]
    assert audio_times == sorted(set(audio_times))
    assert audio_times[0] == -(-sequence * 96_000 // 1024) * 1024  # the segment's first AAC packet
    sent = b"".join(s.data for p in parts for s in p.video) + b"".join(s.data for p in parts for s in p.audio)
    assert sorted(sent) == sorted(_mdat(whole.data))
    assert parts[0].video[0].keyframe
    assert not any(s.keyframe for p in parts[1:] for s in p.video)


def test_an_unfinished_segment_is_not_signed(tmp_path: Path) -> None:
    renderer = make_renderer(make_development_chain(tmp_path / "pki"), sample_assets())
    plan = renderer.plan([LONG])
    live = LiveSegment(renderer, plan, 1, previous_manifest_id="previous")
    live.render(PART)
    with pytest.raises(StreamConfigError) as refused:
        live.finish(wall_clock_start=None)
    assert refused.value.code == "segment_unfinished"
