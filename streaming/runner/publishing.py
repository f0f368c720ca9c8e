"""What the runner publishes, through render's publisher: the stream's render job, its segments (consent gate →
render → sign → store → ledger, render.publisher.publish_segment), its slates and end slate, and the ledger events
of the runner itself (claims, outages, slates)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone

from audit.services import record_event
from render.engine.options import RESOLUTIONS
from render.models import RenderJob
from render.publisher import Publication, publish_segment, record_segment
from render.slates import record_end_slate
from render.voices import default_backend
from streaming.live.rtmp import Outage
from streaming.models import Stream
from streaming.runner.playlist import NextLine
from streaming.runner.toned_lines import job_voice_settings

PURPOSE = "livestream_ecommerce"
FPS = 30


def live_job_for(stream: Stream, first: NextLine) -> RenderJob:
    """The stream's one render job (its segments are the archive), created by the first runner that claims it."""
    existing = RenderJob.objects.filter(stream_id=str(stream.public_id)).first()
    if existing is not None:
        return existing
    width, height = RESOLUTIONS[stream.resolution]
    with transaction.atomic():
        job = RenderJob.objects.create(
            avatar=stream.avatar,
            brand=stream.organisation,
            grant=stream.consent_grant,
            purpose=PURPOSE,
            platform=stream.platform,
            settings={
                "resolution": stream.resolution,
                "width": width,
                "height": height,
                "fps": FPS,
                "engine": "viseme-warp",
                "label_languages": "zh+en",
                "disclosure_languages": "zh+en",
                "rhythm_label": False,
                "live": True,
                # The stream's voice (docs/voice.md): its lines and the opening AI disclosure speak in it. A stream
                # that chose none speaks the platform's default, stored here so a take-over sounds the same.
                "tts_backend": default_backend(),
                **job_voice_settings(stream),
            },
            lines=[first.line],
            script_version_id=first.version_id,
            status=RenderJob.Status.RUNNING,
            stream_id=str(stream.public_id),
            started_at=timezone.now(),
        )
        record_event(
            kind="render_job.started",
            subject=job.subject,
            payload={"job": str(job.public_id)},
            actor="system",
            organisation=job.brand,
        )
    return job


def publish_speech(
    *, job: RenderJob, renderer: Any, plan: Any, sequence: int, previous: str | None, on_air: datetime
) -> Publication:
    return publish_segment(
        job=job,
        renderer=renderer,
        plan=plan,
        sequence=sequence,
        previous_manifest_id=previous,
        wall_clock_start=on_air,
        outputs=(),  # the stream's playlists are built from the rows (streaming.runner.playlists)
    )


def publish_slate(
    *, job: RenderJob, renderer: Any, kind: str, sequence: int, previous: str | None, on_air: datetime
) -> Publication:
    """A holding/takeover/licence slate: published like speech (gate re-check under the grant's row lock)."""
    from render.engine.slate import render_slate_segment

    result = render_slate_segment(
        renderer, kind=kind, sequence=sequence, previous_manifest_id=previous, wall_clock_start=on_air
    )
    return record_segment(job=job, result=result, outputs=())


def publish_end_slate(
    *, job: RenderJob, renderer: Any, sequence: int, previous: str | None, on_air: datetime, reason: str
) -> bool:
    from render.engine.slate import render_slate_segment

    result = render_slate_segment(
        renderer, kind="ended", sequence=sequence, previous_manifest_id=previous, wall_clock_start=on_air
    )
    return record_end_slate(job=job, result=result, reason=reason) is not None


def record_runner_event(
    stream: Stream,
    kind: Literal["stream.runner_claimed", "stream.rtmp_outage", "stream.interjection_planned"],
    payload: dict[str, Any],
) -> None:
    with transaction.atomic():
        record_event(
            kind=kind,
            subject=stream.subject,
            payload={"stream": str(stream.public_id), **payload},
            actor="system",
            organisation=stream.organisation,
        )


def record_outage(stream: Stream, outage: Outage) -> None:
    record_runner_event(
        stream,
        "stream.rtmp_outage",
        {
            # The pusher's clock is monotonic: the event's own time says when it ended, this how long it lasted.
            "duration_s": round(outage.duration_s, 3),
            "attempts": outage.attempts,
            "reason": outage.reason,
            "recovered": outage.recovered,
        },
    )
