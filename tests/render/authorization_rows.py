"""Rows for tests/api/test_authorization_matrix.py covering the render API (merged there with
`MATRIX.update(render_rows(Row, _statuses))`).

The rows address REAL objects of Acme, made on first use and kept in the matrix's context (`ctx["render"]`):
- an avatar of iris for Acme that is still `building` (so writers reach the service's state check: 409);
- a finished (`done`) render job of that avatar with no segments yet;
- a queued short video of that avatar (no file yet).

What the rows show: Acme's members and platform readers read (200); Acme's owner and operator reach each write's own
state check (409: the avatar is building, the job is over) while viewers, staff and auditors are refused (403);
charlie (Globex) and iris meet Acme's ids as 404. Anonymous callers are refused with `not_authenticated`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class RenderContext:
    def __init__(self, ctx: dict[str, Any]) -> None:
        from render.models import Avatar, RenderJob, ShortVideo

        self.avatar = Avatar.objects.create(
            influencer=ctx["iris"].influencer,
            brand=ctx["acme"],
            purpose="livestream_ecommerce",
            platform="douyin",
            status=Avatar.Status.BUILDING,
            sample_duration_s=4.0,
        )
        job = RenderJob(
            avatar=self.avatar,
            brand=ctx["acme"],
            purpose="livestream_ecommerce",
            platform="douyin",
            settings={"width": 1280, "height": 720, "fps": 30},
            lines=[{"id": "l1", "text": "Hello", "language": "en", "intent": "greet"}],
            status=RenderJob.Status.DONE,
        )
        job.stream_id = str(job.public_id)
        job.save()
        self.job = job
        self.short_video = ShortVideo.objects.create(avatar=self.avatar, brand=ctx["acme"], platform="douyin")
        # An approved script version of Acme to name in job requests (render speaks approved scripts only),
        # approved by a reviewer made for it, so no persona's passkeys or real-name state change.
        from tests.streaming.scripts_factory import approved_script, make_reviewer

        self.script_version = approved_script(
            ctx,
            [{"id": "hello", "text": "Hello everyone", "language": "en", "intent": "greet"}],
            reviewer=make_reviewer(ctx["acme"], "rita@acme.example"),
        ).version_id


def _render(ctx: dict[str, Any]) -> RenderContext:
    if "render" not in ctx:
        ctx["render"] = RenderContext(ctx)
    found: RenderContext = ctx["render"]
    return found


def render_rows(row: Callable[..., Any], statuses: Callable[..., dict[str, int]]) -> dict:
    avatar = {"kwargs": lambda ctx: {"avatar_id": str(_render(ctx).avatar.public_id)}}
    job = {"kwargs": lambda ctx: {"job_id": str(_render(ctx).job.public_id)}}
    video = {"kwargs": lambda ctx: {"video_id": str(_render(ctx).short_video.public_id)}}
    acme_read = statuses(200, charlie=404, iris=404)
    # Writers reach the state check (409); other Acme members, staff and auditors 403; outsiders 404.
    acme_write = statuses(403, alice=409, bob=409, charlie=404, iris=404)
    return {
        # The public clip check needs no login: everyone, anonymous included, is asked for the clip (411, an empty
        # body is refused before the per-address rate limit counts it).
        ("render-api:check-clip", "POST"): row(statuses(411, anonymous=411)),
        ("render-api:avatars", "GET"): row(statuses(200)),
        ("render-api:avatars", "POST"): row(
            # Writers are refused by the consent gate (iris never consented here): 403 `no_consent`.
            statuses(403, charlie=404, iris=404),
            body=lambda ctx, p: {
                "brand": str(ctx["acme"].public_id),
                "influencer": str(ctx["iris"].influencer.public_id),
                "purpose": "livestream_ecommerce",
                "platform": "douyin",
            },
        ),
        ("render-api:avatar-detail", "GET"): row(acme_read, **avatar),
        ("render-api:avatar-progress", "GET"): row(acme_read, **avatar),
        ("render-api:avatar-gestures", "PATCH"): row(
            acme_write,
            body=lambda ctx, p: {"gesture_marks": [{"name": "greet", "start_s": 0.5, "end_s": 1.5}]},
            **avatar,
        ),
        ("render-api:jobs", "GET"): row(statuses(200)),
        ("render-api:jobs", "POST"): row(
            acme_write,
            body=lambda ctx, p: {
                "avatar": str(_render(ctx).avatar.public_id),
                "purpose": "livestream_ecommerce",
                "platform": "douyin",
                "script_version": _render(ctx).script_version,
            },
        ),
        ("render-api:job-detail", "GET"): row(acme_read, **job),
        ("render-api:job-cancel", "POST"): row(acme_write, **job),
        ("render-api:job-segments", "GET"): row(acme_read, **job),
        # Nothing was published for this job: readers meet 404 from the segments, outsiders from the job lookup.
        ("render-api:job-download", "GET"): row(statuses(404), **job),
        # No playlist was written for this job: readers get 404 from the file lookup, outsiders from the job lookup.
        ("render-api:job-file", "GET"): row(
            statuses(404),
            kwargs=lambda ctx: {"job_id": str(_render(ctx).job.public_id), "name": "index.m3u8"},
        ),
        ("render-api:short-videos", "GET"): row(statuses(200)),
        # Writers reach the avatar's state check (409: still building) before any script version is resolved.
        ("render-api:short-videos", "POST"): row(
            acme_write,
            body=lambda ctx, p: {"avatar": str(_render(ctx).avatar.public_id), "script_version": "v-unknown"},
        ),
        ("render-api:short-video-detail", "GET"): row(acme_read, **video),
        # The video is still queued: readers get 404 from the file lookup, outsiders from the video lookup.
        ("render-api:short-video-download", "GET"): row(statuses(404), **video),
    }
