"""One live segment rendered a part at a time, so an "at once" line can cut in at the next frame not yet rendered.

Whole-segment rendering fixes 2 s of a stream at once, and what is fixed is on its way to the viewer: a line sent
"now" waited for the next segment boundary plus the segment the runner had rendered ahead (2-5 s from the click,
docs/live-runner.md). A `LiveSegment` renders and encodes a few frames (a *part*) when it is asked, hands their
H.264 and AAC samples to the caller (the RTMP output sends them as they come), and between two parts takes a new
plan (`replan`): a plan appended with `append(cut=True, at_frame=segment.next_frame)` is the same as the old one
before that frame, frame for frame and sample for sample, so the parts already sent stay valid.

The segment stays the unit of the archive, the C2PA chain, the ledger and the watermark: `finish` muxes and signs
the whole segment once its last frame is encoded (what aired is what is signed), and its bytes are those
`StreamRenderer.render_segment` gives for the final plan (`SegmentEncoding` feeds the encoders the same input in the
same order), so a worker taking over re-renders the same segment from the same blocks.

The audio is encoded only up to the next frame not rendered yet: the AAC encoder looks ahead of the packets it
returns, and none of what it has seen may change after a cut at that frame.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from render.engine.encode import EncodedPart, SegmentEncoding
from render.engine.segment import SegmentResult
from render.engine.stream import SAMPLE_RATE, StreamConfigError, StreamPlan, StreamRenderer


class LiveSegment:
    def __init__(
        self, renderer: StreamRenderer, plan: StreamPlan, sequence: int, *, previous_manifest_id: str | None
    ) -> None:
        renderer.check_segment(plan, sequence, previous_manifest_id=previous_manifest_id)
        self.renderer = renderer
        self.plan = plan
        self.sequence = sequence
        self.previous_manifest_id = previous_manifest_id
        self._encoding: SegmentEncoding = renderer.encoder.begin(sequence)
        self._frame_samples = SAMPLE_RATE // renderer.config.fps
        self.timings: dict[str, float] = {}

    @property
    def next_frame(self) -> int:
        """Stream index of the next frame to render: where a cut-in can still start."""
        return self._encoding.next_frame

    @property
    def end_frame(self) -> int:
        return self._encoding.first_frame + self._encoding.frame_count

    @property
    def done(self) -> bool:
        return self.next_frame >= self.end_frame

    def replan(self, plan: StreamPlan) -> None:
        """Render the rest of the segment from `plan` (the old plan grown from `next_frame` on)."""
        if plan.stream_id != self.plan.stream_id or plan.config != self.plan.config:
            raise StreamConfigError("plan_mismatch", "the plan was made for another stream or other settings")
        if not (plan.base_frame <= self.next_frame and self.sequence < plan.segment_count):
            raise StreamConfigError("no_such_segment", f"the new plan does not hold segment {self.sequence}")
        self.plan = plan

    def render(self, frames: int) -> EncodedPart:
        """Render and encode the next `frames` frames (fewer at the segment's end) and the audio before the frame
        after them; return the samples encoded since the last part."""
        first = self.next_frame
        end = min(first + frames, self.end_frame)
        for yuv in self.renderer.frames_between(self.plan, first, end, self.timings):
            self._encoding.add_frame(yuv)
        if end < self.end_frame:
            self._encoding.feed_audio(self._audio(), upto=end * self._frame_samples)
        else:
            self._encoding.feed_audio(self._audio())
        return self._encoding.take()

    def finish(self, *, wall_clock_start: datetime | None) -> SegmentResult:
        """The whole segment, muxed and signed (after its last part)."""
        if not self.done:
            raise StreamConfigError("segment_unfinished", f"segment {self.sequence} has frames still to render")
        encoded = self._encoding.finish(self._audio())
        return self.renderer.sign_speech(
            self.plan, encoded, previous_manifest_id=self.previous_manifest_id, wall_clock_start=wall_clock_start
        )

    def _audio(self) -> NDArray[np.float32]:
        return self.renderer.segment_audio(self.plan, self.sequence)
