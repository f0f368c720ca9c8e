"""A fast path for runner tests of planning over many segments: `planned_only(monkeypatch)` replaces the runner's
`publish_speech` by one that publishes each segment's row and ledger event through render's real `record_segment`
(gate lock, `(job, sequence)` uniqueness, the chain of manifest ids) but skips drawing and encoding the frames: the
segment's bytes are a digest of its planned audio, its line ids what the plan says is heard in it. Slates, the end
slate and the init segment stay real. Every plan the runner publishes from is noted, for the test to inspect."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from render.engine.segment import SegmentRecord, SegmentResult
from render.publisher import Publication, record_segment


@dataclass
class PlannedOnly:
    plans: dict[int, Any] = field(default_factory=dict)  # sequence -> the plan it was published from (latest run)
    audio: dict[int, str] = field(default_factory=dict)  # sequence -> SHA-256 of its planned audio
    lines: dict[int, tuple[str, ...]] = field(default_factory=dict)  # sequence -> line ids heard
    held_samples: list[int] = field(default_factory=list)  # len(plan.pcm) at each segment
    hooks: list[Any] = field(default_factory=list)  # called with (sequence, plan, renderer) before publishing

    def publish(
        self, *, job: Any, renderer: Any, plan: Any, sequence: int, previous: str | None, on_air: datetime
    ) -> Publication:
        for hook in self.hooks:
            hook(sequence, plan, renderer)
        assert plan.base_segment <= sequence < plan.segment_count, (sequence, plan.base_segment, plan.segment_count)
        digest = audio_digest(renderer, plan, sequence)
        self.plans[sequence], self.audio[sequence] = plan, digest
        self.lines[sequence] = tuple(plan.segment_line_ids(sequence))
        self.held_samples.append(len(plan.pcm))
        data = f"planned-only {sequence} {digest}".encode()
        record = SegmentRecord(
            stream_id=renderer.stream_id,
            sequence=sequence,
            uri=f"seg_{sequence:06d}.m4s",
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            duration=2.0,
            start_s=2.0 * sequence,
            wall_clock_start=on_air,
            video_frames=60,
            audio_samples=96_000,
            manifest_id=f"urn:planned-only:{renderer.stream_id}:{sequence}",
            previous_manifest_id=previous,
            watermark_id=f"{sequence:016x}",
            label={"planned_only": True},
            consent_grant_id=renderer.consent.grant_id,
            script_line_ids=tuple(plan.segment_line_ids(sequence)),
            disclosure=2.0 * sequence < plan.disclosure_span[1],
            aigc=renderer.aigc.to_json(),
            plan_fingerprint=plan.fingerprint,
            engine=renderer.config.engine,
            settings=renderer.config.name,
        )
        return record_segment(job=job, result=SegmentResult(data, record.uri, record), outputs=())

    def speak_in_parts(self, run: Any, output: Any, *, due: float, on_air: datetime) -> Publication:
        """The runner's part-at-a-time path without frames: the same cuts at the same frames
        (streaming.runner.parts.cut_in_now between parts), then the segment published as above."""
        from streaming.runner.parts import cut_in_now

        frames = run.plan.frames_per_segment
        live = _PlannedSegment(run.plan, run.sequence * frames)
        while live.next_frame < live.first + frames:
            if live.next_frame > live.first:
                cut_in_now(run, live)  # type: ignore[arg-type]
            live.next_frame += run.cfg.part_frames
        return self.publish(
            job=run.job,
            renderer=run.renderer,
            plan=live.plan,
            sequence=run.sequence,
            previous=run.previous,
            on_air=on_air,
        )


@dataclass
class _PlannedSegment:
    plan: Any
    first: int
    next_frame: int = -1

    def __post_init__(self) -> None:
        self.next_frame = self.first

    def replan(self, plan: Any) -> None:
        self.plan = plan


def planned_only(monkeypatch: Any) -> PlannedOnly:
    fake = PlannedOnly()
    monkeypatch.setattr("streaming.runner.loop.publish_speech", fake.publish)
    monkeypatch.setattr("streaming.runner.loop.speak_in_parts", fake.speak_in_parts)
    return fake


def audio_digest(renderer: Any, plan: Any, sequence: int) -> str:
    """The segment's own planned samples (not the encoder's wider window, whose tail a later append may fill)."""
    start = sequence * plan.samples_per_segment - plan.base_sample
    return hashlib.sha256(plan.pcm[start : start + plan.samples_per_segment].tobytes()).hexdigest()


class NoIngest:
    """Stands in for the nginx-rtmp fixture where the runner pushes nothing (push=False): only the URL is read."""

    def url(self, key: str) -> str:
        return f"rtmp://127.0.0.1:1935/live/{key}"
