"""A speech segment rendered, sent and cut into a part at a time (docs/live-runner.md, "At once").

With `LIVE_PART_FRAMES` set (the default), the runner does not render a whole segment a segment ahead: it renders
`part_frames` frames at a time, each `LIVE_AHEAD_MS` before it is due on air, and hands each part's H.264/AAC
samples to the RTMP output at once (render.engine.live_segment). Before every part but the first it asks for
"at once" interjections: one is cut in at the next frame not rendered yet (`append(cut=True, at_frame=...)`), so it
reaches the air about `LIVE_AHEAD_MS` after it was sent instead of a segment boundary and a segment of lookahead
later. Queued interjections, answers and the playlist still grow the plan at segment starts (the runner's loop).

The segment stays the unit of everything else: the consent gate is asked before its first part
(render.publisher.open_segment), the output keeps checking the consent between frames, and the segment is signed
and published (`record_segment`, under the grant's row lock) after its last part, so what aired is what is signed
and archived.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING

from render.engine.live_segment import LiveSegment
from render.publisher import Publication, fail_job, open_segment, record_segment
from render.runtime import engine_error
from streaming.live.output import LiveOutput, Outgoing
from streaming.runner.answer_lines import plan_answers

if TYPE_CHECKING:
    from streaming.runner.loop import _Run


def speak_in_parts(run: _Run, output: LiveOutput, *, due: float, on_air: datetime) -> Publication | None:
    """Render, send and publish segment `run.sequence` of the plan a part at a time; None when the output stopped
    (a revocation seen between frames, a push that gave up) before the segment's end: nothing is published."""
    refused = open_segment(run.job)
    if refused is not None:
        return refused
    cfg = run.cfg
    fps = run.renderer.config.fps
    try:
        live = LiveSegment(run.renderer, run.plan, run.sequence, previous_manifest_id=run.previous)
        first = live.next_frame
        while not live.done:
            offset_s = (live.next_frame - first) / fps
            if run.pace:
                wait_until = due + offset_s - cfg.ahead_ms / 1000
                while run.clock() < wait_until and output.alive:
                    time.sleep(min(0.02, max(0.0, wait_until - run.clock())))
            if not output.alive:
                return None
            if live.next_frame > first:
                cut_in_now(run, live)
            part = live.render(cfg.part_frames)
            output.send(
                Outgoing(run.sequence, b"", due + offset_s, len(part.video) / fps, part=part, ends_segment=live.done)
            )
        result = live.finish(wall_clock_start=on_air)
    except Exception as exc:
        failure = engine_error(exc)  # the engine's refusals (a line it cannot say, ...) have stable codes
        if failure is None:
            raise
        fail_job(run.job.pk, failure)
        return Publication("failed", reason=failure.code)
    return record_segment(job=run.job, result=result, outputs=())


def cut_in_now(run: _Run, live: LiveSegment) -> None:
    """The oldest pending "at once" interjection, else (a stream that answers at once) the oldest queued answer to a
    viewer, cut in at the next frame. One such cut per segment: what comes after it waits for the next segment."""
    if run.cut_at_frame_in == run.sequence:
        return
    waiting = [x for x in run.control.pending_interjections(run.stream.pk) if x.at_once]
    if waiting:
        run.plan_interjection(waiting[0], cut=True, at_frame=live.next_frame)
    elif run.stream.answers_at_once:
        answers = run.control.pending_answers(run.stream.pk)
        if not answers or not plan_answers(run, answers, at_frame=live.next_frame):
            return
    else:
        return
    run.cut_at_frame_in = run.sequence
    live.replan(run.plan)
