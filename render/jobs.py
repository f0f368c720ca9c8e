"""Render job workflows: submit (gate and script checks before anything is queued), cancel, and the render worker's
loop, which plans the stream and publishes it segment by segment through `render.publisher.publish_segment`."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import record_event
from common.api import DomainError
from render.dispatch import dispatch
from render.engine.options import ENGINES, LABEL_LANGUAGES, LINE_LANGUAGES, RESOLUTIONS, SUPPORTED_FPS
from render.errors import RenderFailed
from render.gating import gate_use
from render.models import Avatar, RenderJob
from render.publisher import (
    end_job,
    end_job_if,
    fail_job,
    publish_segment,
    rewrite_playlists,
    segment_storage,
    store_file,
)
from render.request_keys import earlier_with_key, save_once
from render.runtime import engine_error, onnx_model_path, renderer_for
from render.script_source import ApprovedScript, script_source
from render.voices import clean_voice

MAX_LINES = 200


def clean_lines(lines: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Script lines as stored, or 400 with the engine's reason code (unspeakable text, contradicting intent)."""
    from render.engine.avatar.choreography import ScriptIntentError, ScriptLine, check_line
    from render.engine.segment import DISCLOSURE_LINE_ID
    from render.engine.speech.text import normalize_language, prepare_text
    from render.engine.speech.types import UnspeakableText

    if not lines:
        raise DomainError("A render job needs at least one script line.", code="no_lines", status_code=400)
    if len(lines) > MAX_LINES:
        raise DomainError(f"At most {MAX_LINES} script lines per job.", code="too_many_lines", status_code=400)
    cleaned = []
    seen: set[str] = set()
    for number, line in enumerate(lines):
        line_id = str(line.get("id") or f"L{number + 1}")
        if line_id == DISCLOSURE_LINE_ID:
            raise DomainError(
                f"Script line id {line_id!r} is reserved for the spoken AI disclosure.",
                code="reserved_line_id",
                status_code=400,
            )
        if line_id in seen:
            raise DomainError(f"Script line id {line_id!r} is used twice.", code="duplicate_line_id", status_code=400)
        seen.add(line_id)
        text = str(line.get("text", ""))
        intent = str(line.get("intent") or "idle")
        try:
            language = normalize_language(str(line.get("language") or "zh"))
            if language not in LINE_LANGUAGES:
                raise UnspeakableText(
                    "unsupported_language", f"language {language!r} is not offered ({', '.join(LINE_LANGUAGES)})"
                )
            prepare_text(text, language=language)
            check_line(ScriptLine(line_id, text, intent, 0.0, 0.0))
        except UnspeakableText as exc:
            raise DomainError(
                f"line {line_id}: {exc}", code=f"unspeakable_{getattr(exc, 'reason', 'text')}", status_code=400
            ) from None
        except ScriptIntentError as exc:
            raise DomainError(exc.message, code=exc.code, status_code=400) from None
        cleaned.append({"id": line_id, "text": text, "language": language, "intent": intent})
    return cleaned


def submit_render_job(
    *,
    avatar: Avatar,
    actor: User | None,
    purpose: str,
    platform: str,
    script: ApprovedScript,
    resolution: str = "720p",
    fps: int = 30,
    engine: str = "viseme-warp",
    label_languages: str = "zh+en",
    rhythm_label: bool = False,
    request_key: uuid.UUID | None = None,
    tts_backend: str | None = None,
    voice: str | None = None,
    voice_rate: float = 1.0,
    voice_pitch: float = 1.0,
) -> RenderJob:
    """Gate, validate the approved script (before anything is queued), and queue the job on the render queue.

    `request_key` (the start form's): a job already made with this key is returned as it is, so submitting the same
    form twice (a double click) makes one job; two racing submits meet the key's unique index and the second one
    returns the first one's job.

    Only an approved script version is spoken (render.script_source): the script source checks, after the gate,
    that the version may be voiced under the grant the gate chose (its approval stands, no product of a category the
    consent excludes); `run_render_job` asks again before planning. Every stored line carries the version hash."""
    earlier = earlier_with_key(RenderJob, request_key, same_work=lambda job: job.avatar_id == avatar.pk)
    if earlier is not None:
        return earlier
    if script.organisation_id != avatar.brand_id:
        raise DomainError("No such script version for this brand.", code="script_version_not_found", status_code=404)
    if avatar.status != Avatar.Status.READY:
        raise DomainError(f"The avatar is {avatar.status}, not ready.", code="avatar_not_ready", status_code=409)
    if resolution not in RESOLUTIONS:
        raise DomainError(
            f"resolution must be one of {', '.join(RESOLUTIONS)}.", code="invalid_resolution", status_code=400
        )
    if fps not in SUPPORTED_FPS:
        raise DomainError(
            f"fps must be one of {', '.join(str(f) for f in SUPPORTED_FPS)}.", code="invalid_fps", status_code=400
        )
    if engine not in ENGINES:
        raise DomainError(f"engine must be one of {', '.join(ENGINES)}.", code="invalid_engine", status_code=400)
    if engine == "onnx" and not onnx_model_path():
        raise DomainError(
            "The onnx engine needs RENDER_ONNX_MODEL_PATH on the render workers.",
            code="engine_unavailable",
            status_code=400,
        )
    if label_languages not in LABEL_LANGUAGES:
        # The visible label cannot be turned off or shrunk: only its languages are a choice.
        raise DomainError(
            f"label_languages must be one of {', '.join(LABEL_LANGUAGES)}.", code="invalid_label", status_code=400
        )
    voice_settings = clean_voice(
        avatar=avatar, tts_backend=tts_backend, voice=voice, voice_rate=voice_rate, voice_pitch=voice_pitch
    )
    job_lines = script.job_lines()
    # clean_lines is render's own speakability check (the version was checked when saved; the engine may have
    # changed since); the stored lines keep their product references and the version hash.
    cleaned = [{**line, **spoken} for line, spoken in zip(job_lines, clean_lines(job_lines), strict=True)]
    grant = gate_use(
        subject=avatar,
        brand=avatar.brand,
        purpose=purpose,
        platform=platform,
        modalities=avatar.modalities,
        use="render_job_request",
    )
    script_source().check_voicing(script=script, grant=grant)
    width, height = RESOLUTIONS[resolution]
    from render.tasks import render_job_task

    with transaction.atomic():
        job = RenderJob(
            avatar=avatar,
            brand=avatar.brand,
            grant=grant,
            purpose=purpose,
            platform=platform,
            settings={
                "resolution": resolution,
                "width": width,
                "height": height,
                "fps": fps,
                "engine": engine,
                "label_languages": label_languages,
                "disclosure_languages": label_languages,
                "rhythm_label": bool(rhythm_label),
                **voice_settings,
            },
            lines=cleaned,
            script_id=script.script_id,
            script_version_id=script.version_id,
            script_version_number=script.version_number,
            script_version_sha256=script.version_sha256,
            script_approval_id=script.approval_id,
            request_key=request_key,
            created_by=actor,
        )
        job.stream_id = str(job.public_id)
        twin = save_once(job, request_key, same_work=lambda earlier: earlier.avatar_id == avatar.pk)
        if twin is not None:
            return twin
        record_event(
            kind="render_job.submitted",
            subject=job.subject,
            payload={
                "job": str(job.public_id),
                "avatar": str(avatar.public_id),
                "consent_grant_id": str(grant.public_id),
                "settings": job.settings,
                "script_line_ids": [line["id"] for line in cleaned],
                "script_sha256": hashlib.sha256(
                    "\n".join(f"{x['id']}\t{x['language']}\t{x['intent']}\t{x['text']}" for x in cleaned).encode()
                ).hexdigest(),
                "script": script.reference(),
            },
            actor=actor,
            organisation=avatar.brand,
        )
        dispatch(render_job_task, job.pk)
    return job


def cancel_render_job(*, job: RenderJob, actor: User | str | None, reason: str = "cancelled") -> RenderJob:
    """Stop a queued or running job; a running one stops at its next segment boundary."""
    with transaction.atomic():
        locked = RenderJob.objects.select_for_update().get(pk=job.pk)
        if locked.status not in RenderJob.ACTIVE:
            raise DomainError(f"This job is already {locked.status}.", code="job_not_active", status_code=409)
        end_job(locked, status=RenderJob.Status.CANCELLED, code=reason, message="", actor=actor)
    rewrite_playlists(locked, ended=True)
    return locked


def _voicing_refused(job: RenderJob) -> RenderFailed | None:
    """Ask the script source again at render time: consent or the approval may have changed since submission."""
    if not job.script_version_id or job.grant is None:
        return RenderFailed("script_not_approved", "This job names no approved script version and consent grant.")
    try:
        source = script_source()
        script = source.resolve(organisation=job.brand, version_id=job.script_version_id)
        if script.version_sha256 != job.script_version_sha256:
            return RenderFailed("script_version_changed", "The approved version differs from the one submitted.")
        source.check_voicing(script=script, grant=job.grant)
    except DomainError as exc:
        return RenderFailed(str(exc.code), str(exc.detail))
    return None


def run_render_job(*, job_id: int, max_segments: int | None = None) -> RenderJob:
    """The render worker's loop (idempotent): publishes every sequence after the last published one through the
    segment publisher (which asks the gate before each); returns the job in its end state. A redelivered task resumes
    where the dead worker stopped.

    `max_segments` publishes at most that many segments and returns with the job still running (time-slicing, tests).
    """
    claimed = RenderJob.objects.filter(pk=job_id, status__in=RenderJob.ACTIVE).update(status=RenderJob.Status.RUNNING)
    job = RenderJob.objects.select_related("avatar", "avatar__assets", "brand", "grant").get(pk=job_id)
    if not claimed:
        return job
    if job.started_at is None:
        job.started_at = timezone.now()
        RenderJob.objects.filter(pk=job.pk).update(started_at=job.started_at)
        with transaction.atomic():
            record_event(
                kind="render_job.started",
                subject=job.subject,
                payload={"job": str(job.public_id)},
                actor="system",
                organisation=job.brand,
            )
    refused = _voicing_refused(job)
    if refused is not None:
        return fail_job(job.pk, refused)
    try:
        renderer = renderer_for(job)
        from render.engine.stream import ScriptLine

        plan = renderer.plan(
            [ScriptLine(line_id=x["id"], text=x["text"], language=x["language"], intent=x["intent"]) for x in job.lines]
        )
    except Exception as exc:
        failure = engine_error(exc)
        if failure is None:
            raise
        return fail_job(job.pk, failure)

    if job.segment_count != plan.segment_count or job.duration_s != plan.duration_s:
        # The playlist's total: every segment, the silent tail of the last one included.
        RenderJob.objects.filter(pk=job.pk).update(segment_count=plan.segment_count, duration_s=plan.duration_s)
        job.segment_count, job.duration_s = plan.segment_count, plan.duration_s
    if not job.init_storage_name:
        init = renderer.init_segment()
        stored = store_file(f"{job.stream_id}/init.mp4", init.data)
        RenderJob.objects.filter(pk=job.pk).update(init_storage_name=stored, init_manifest_id=init.manifest_id)
        job.init_storage_name, job.init_manifest_id = stored, init.manifest_id
    else:
        # A resumed job: its segments bind the init segment already published (manifest id and hash).
        try:
            with segment_storage().open(job.init_storage_name, "rb") as published:
                renderer.adopt_init(published.read())
        except Exception as exc:
            failure = engine_error(exc)
            if failure is None:
                raise
            return fail_job(job.pk, failure)

    last = job.segments.order_by("-sequence").first()
    sequence = 0 if last is None else last.sequence + 1
    previous = None if last is None else last.manifest_id
    budget = plan.segment_count if max_segments is None else max_segments
    while sequence < plan.segment_count and budget > 0:
        # A job's wall clock is its timeline from the start: segment n begins n segments after started_at.
        on_air = job.started_at + timedelta(seconds=plan.segment_span(sequence)[0])
        outcome = publish_segment(
            job=job,
            renderer=renderer,
            plan=plan,
            sequence=sequence,
            previous_manifest_id=previous,
            wall_clock_start=on_air,
        )
        if not outcome.published or outcome.record is None:
            return RenderJob.objects.get(pk=job.pk)
        previous = outcome.record.manifest_id
        sequence += 1
        budget -= 1

    if sequence < plan.segment_count:
        return RenderJob.objects.get(pk=job.pk)
    end_job_if(job.pk, (RenderJob.Status.RUNNING,), status=RenderJob.Status.DONE, code="", message="")
    rewrite_playlists(job, ended=True)
    return RenderJob.objects.get(pk=job.pk)
