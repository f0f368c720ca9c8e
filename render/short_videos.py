"""Short videos (consent purpose `short_video`): an approved script rendered by an avatar into one downloadable MP4.

`submit_short_video` asks the consent gate (purpose `short_video`, the avatar's modalities) and the script source
(may this approved version be voiced under that grant?) before anything is queued; `run_short_video`, the render
worker's task body, asks both again when it starts and the gate again before every 2 s span it draws, renders the
whole file through `render.engine.short_video` (the live stream's frames: label, watermark, AIGC metadata, one C2PA
manifest over the file), stores it, and in ONE transaction that locks the consent grant (as `revoke_consent` does)
records `short_video.completed` with the file's hash. A consent revoked before that commit fails the video with the
gate's neutral answer and the file is deleted: no short video exists whose consent ended before it was finished.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import record_event
from common.api import DomainError
from consent.gate import BRAND_REFUSAL_CODE, BRAND_REFUSAL_MESSAGE
from consent.models import ConsentGrant
from consent.services import record_use_refused
from render.dispatch import dispatch
from render.engine.options import LABEL_LANGUAGES, RESOLUTIONS
from render.errors import ConsentRefused
from render.gating import gate_use
from render.jobs import clean_lines
from render.models import Avatar, ShortVideo
from render.publisher import segment_storage, store_file
from render.request_keys import earlier_with_key, save_once
from render.runtime import avatar_assets, device, engine_error, onnx_model_path, signer, watermark_key
from render.script_source import ApprovedLine, ApprovedScript, script_source
from render.voices import clean_voice

logger = logging.getLogger(__name__)

ORIENTATIONS: tuple[str, ...] = ("portrait", "landscape")
SHORT_VIDEO_RESOLUTIONS: tuple[str, ...] = ("720p", "1080p")
SHORT_VIDEO_FPS = 30


def short_video_size(orientation: str, resolution: str) -> tuple[int, int]:
    """(width, height) of a short video, from the engine's offered sizes (720p portrait is 720x1280)."""
    if orientation not in ORIENTATIONS:
        raise DomainError(
            f"orientation must be one of {', '.join(ORIENTATIONS)}.", code="invalid_orientation", status_code=400
        )
    if resolution not in SHORT_VIDEO_RESOLUTIONS:
        raise DomainError(
            f"resolution must be one of {', '.join(SHORT_VIDEO_RESOLUTIONS)}.",
            code="invalid_resolution",
            status_code=400,
        )
    return RESOLUTIONS[f"{resolution}-portrait" if orientation == "portrait" else resolution]


def _gate(avatar: Avatar, platform: str, use: str) -> ConsentGrant:
    return gate_use(
        subject=avatar,
        brand=avatar.brand,
        purpose=ShortVideo.PURPOSE,
        platform=platform,
        modalities=avatar.modalities,
        use=use,
    )


def require_ready_avatar(*, avatar: Avatar) -> None:
    """409 unless the avatar is built (asked before the script is resolved, so the answer does not depend on it)."""
    if avatar.status != Avatar.Status.READY:
        raise DomainError(f"The avatar is {avatar.status}, not ready.", code="avatar_not_ready", status_code=409)


def submit_short_video(
    *,
    avatar: Avatar,
    actor: User | None,
    script: ApprovedScript,
    orientation: str = "portrait",
    resolution: str = "720p",
    label_languages: str = "zh+en",
    platform: str | None = None,
    tts_backend: str | None = None,
    voice: str | None = None,
    voice_rate: float | str = 1.0,  # a page's form sends text: clean_voice answers 400 for what is no number
    voice_pitch: float | str = 1.0,
    request_key: uuid.UUID | None = None,
) -> ShortVideo:
    """Check the settings and the script, ask the gate (purpose short_video) and the script source, and queue.

    `request_key` (render.request_keys): a video already submitted with this key is returned as it is."""
    earlier = earlier_with_key(ShortVideo, request_key, same_work=lambda video: video.avatar_id == avatar.pk)
    if earlier is not None:
        return earlier
    require_ready_avatar(avatar=avatar)
    width, height = short_video_size(orientation, resolution)
    if label_languages not in LABEL_LANGUAGES:
        # The visible label cannot be turned off or shrunk: only its languages are a choice.
        raise DomainError(
            f"label_languages must be one of {', '.join(LABEL_LANGUAGES)}.", code="invalid_label", status_code=400
        )
    voice_settings = clean_voice(
        avatar=avatar, tts_backend=tts_backend, voice=voice, voice_rate=voice_rate, voice_pitch=voice_pitch
    )
    if script.organisation_id != avatar.brand_id:
        raise DomainError("The script belongs to another brand.", code="script_not_found", status_code=404)
    lines = script.job_lines()
    clean_lines(lines)  # unspeakable text or a contradicting intent: 400 now, not a failed render later
    where = platform or avatar.platform
    grant = _gate(avatar, where, "short_video_request")
    script_source().check_voicing(script=script, grant=grant)
    from render.tasks import short_video_task

    with transaction.atomic():
        video = ShortVideo(
            avatar=avatar,
            brand=avatar.brand,
            grant=grant,
            platform=where,
            settings={
                "orientation": orientation,
                "resolution": resolution,
                "width": width,
                "height": height,
                "fps": SHORT_VIDEO_FPS,
                "label_languages": label_languages,
                "disclosure_languages": label_languages,
                **voice_settings,
            },
            lines=lines,
            script=script.reference(),
            request_key=request_key,
            created_by=actor,
        )
        twin = save_once(video, request_key, same_work=lambda earlier: earlier.avatar_id == avatar.pk)
        if twin is not None:
            return twin
        record_event(
            kind="short_video.submitted",
            subject=video.subject,
            payload={
                "video": str(video.public_id),
                "avatar": str(avatar.public_id),
                "consent_grant_id": str(grant.public_id),
                "platform": where,
                "settings": video.settings,
                "script": video.script,
                "script_line_ids": [line["id"] for line in lines],
            },
            actor=actor,
            organisation=avatar.brand,
        )
        dispatch(short_video_task, video.pk)
    return video


def approved_script_of(video: ShortVideo) -> ApprovedScript:
    """The approved version the video speaks, as it was when submitted (for the render-time voicing check)."""
    ref = video.script
    return ApprovedScript(
        script_id=str(ref["script"]),
        version_id=str(ref["script_version"]),
        version_number=int(ref["script_version_number"]),
        version_sha256=str(ref["script_version_sha256"]),
        approval_id=str(ref["script_approval"]),
        organisation_id=video.brand_id,
        lines=tuple(
            ApprovedLine(
                id=line["id"],
                text=line["text"],
                language=line["language"],
                intent=line["intent"],
                product_ids=tuple(line.get("product_ids", ())),
                product_categories=tuple(line.get("product_categories", ())),
            )
            for line in video.lines
        ),
    )


class _Stopped(Exception):  # noqa: N818 - a signal out of the engine's loop, not an error
    """The video left `running` (cancelled, or failed by another copy of the task) while it rendered."""


def run_short_video(*, video_id: int) -> ShortVideo:
    """The render worker's task body (idempotent: a finished video is left alone; a redelivered one renders again
    from the start, replacing the file a dead worker may have left). Returns the video in its end state."""
    claimed = ShortVideo.objects.filter(pk=video_id, status__in=ShortVideo.ACTIVE).update(
        status=ShortVideo.Status.RUNNING, progress=0.0, started_at=timezone.now()
    )
    video = ShortVideo.objects.select_related("avatar", "avatar__assets", "brand", "grant").get(pk=video_id)
    if not claimed:
        return video
    try:
        grant = _gate(video.avatar, video.platform, "short_video_render")
        script_source().check_voicing(script=approved_script_of(video), grant=grant)
        rendered = _render(video, grant)
    except ConsentRefused as refused:
        return _fail(video.pk, refused.reason, str(refused.detail))
    except DomainError as refused:  # the script source: approval withdrawn, excluded category, no source
        return _fail(video.pk, refused.code, str(refused.detail))
    except _Stopped:
        return ShortVideo.objects.get(pk=video.pk)
    except Exception as exc:
        failure = engine_error(exc)
        if failure is None:
            _fail(video.pk, "render_error", "The render stopped on an internal error.")
            raise
        return _fail(video.pk, failure.code, failure.message)
    return _complete(video, grant, rendered)


def _render(video: ShortVideo, grant: ConsentGrant) -> Any:
    from render.engine.c2pa_sign import ConsentReference
    from render.engine.short_video import render_short_video
    from render.engine.stream import ScriptLine, StreamConfig, StreamRenderer
    from render.voices import stream_voice_settings

    s = video.settings
    voice = stream_voice_settings(
        s, avatar=video.avatar, purpose=ShortVideo.PURPOSE, platform=video.platform, render_id=str(video.public_id)
    )
    config = StreamConfig(
        **voice,
        width=int(s["width"]),
        height=int(s["height"]),
        fps=int(s["fps"]),
        label_languages=str(s["label_languages"]),
        disclosure_languages=str(s["disclosure_languages"]),
        onnx_model_path=onnx_model_path() or None,
        device=device(),
        medium="video",  # the opening notices say "this video", not "this livestream"
    )
    renderer = StreamRenderer(
        avatar=avatar_assets(video.avatar),
        config=config,
        stream_id=str(video.public_id),
        consent=ConsentReference(grant_id=str(grant.public_id), document_sha256=grant.scope_sha256),
        signer=signer(),
        watermark_key=watermark_key(),
        content_producer=str(getattr(settings, "RENDER_CONTENT_PRODUCER", "Veracast")),
    )
    plan = renderer.plan(
        [ScriptLine(line_id=x["id"], text=x["text"], language=x["language"], intent=x["intent"]) for x in video.lines]
    )

    def before_segment(sequence: int) -> None:
        # A cancelled video, or a consent revoked or expired mid-render, stops within one 2 s span.
        status = ShortVideo.objects.filter(pk=video.pk).values_list("status", flat=True).get()
        if status != ShortVideo.Status.RUNNING:
            raise _Stopped
        if sequence:
            _gate(video.avatar, video.platform, "short_video_render")

    def on_progress(fraction: float) -> None:
        # The last few per cent are signing and storing: `done` sets 1.0.
        ShortVideo.objects.filter(pk=video.pk, status=ShortVideo.Status.RUNNING).update(
            progress=round(0.98 * fraction, 4)
        )

    return render_short_video(
        renderer,
        plan,
        video_id=str(video.public_id),
        assertions={"script": video.script},
        on_progress=on_progress,
        before_segment=before_segment,
    )


def _complete(video: ShortVideo, grant: ConsentGrant, rendered: Any) -> ShortVideo:
    """Store the file, then in one transaction that locks the video and its grant, mark it done with its ledger
    event, unless the grant ended meanwhile (then the video fails and the file is deleted)."""
    stored = store_file(f"short_videos/{video.public_id}.mp4", rendered.data)
    keep = False
    with transaction.atomic():
        locked = ShortVideo.objects.select_for_update().get(pk=video.pk)
        if locked.status != ShortVideo.Status.RUNNING:
            reason = ""
        else:
            locked_grant = ConsentGrant.objects.select_for_update().filter(pk=grant.pk).first()
            reason = _unusable(locked_grant)
            if reason:
                record_use_refused(
                    influencer_id=video.avatar.influencer_id,
                    brand=video.brand,
                    reason=reason,
                    purpose=ShortVideo.PURPOSE,
                    platform=video.platform,
                    modalities=video.avatar.modalities,
                    use="short_video_render",
                )
                _end(locked, status=ShortVideo.Status.FAILED, code=BRAND_REFUSAL_CODE, message=BRAND_REFUSAL_MESSAGE)
            else:
                keep = True
                locked.status = ShortVideo.Status.DONE
                locked.progress = 1.0
                locked.storage_name = stored
                locked.sha256 = rendered.sha256
                locked.size = rendered.size
                locked.duration_s = rendered.duration_s
                locked.manifest_id = rendered.manifest_id
                locked.watermark_id = rendered.watermark_id
                locked.finished_at = timezone.now()
                locked.save()
                record_event(
                    kind="short_video.completed",
                    subject=locked.subject,
                    payload={
                        "video": str(locked.public_id),
                        "sha256": rendered.sha256,
                        "bytes": rendered.size,
                        "duration": rendered.duration_s,
                        "width": rendered.width,
                        "height": rendered.height,
                        "manifest_id": rendered.manifest_id,
                        "watermark_id": rendered.watermark_id,
                        "aigc": rendered.aigc,
                        "consent_grant_id": str(grant.public_id),
                        "script": locked.script,
                        "line_versions": {line["id"]: line.get("script_version", "") for line in locked.lines},
                        "storage_name": stored,
                    },
                    actor="system",
                    organisation=locked.brand,
                )
    if not keep:
        segment_storage().delete(stored)
    return locked


def _unusable(grant: ConsentGrant | None) -> str:
    """Why the (locked) grant may not be used now, or ""."""
    if grant is None:
        return "no_consent"
    if grant.status != ConsentGrant.Status.ACTIVE:
        return str(grant.status)
    now = timezone.now()
    if not grant.valid_from <= now < grant.valid_until:
        return "expired" if now >= grant.valid_until else "not_yet_valid"
    return ""


def _end(video: ShortVideo, *, status: str, code: str, message: str) -> None:
    """Inside the caller's transaction, with `video` locked."""
    video.status = status
    video.error_code = code
    video.error_message = message[:2000]
    video.finished_at = timezone.now()
    video.save(update_fields=["status", "error_code", "error_message", "finished_at"])
    record_event(
        kind="short_video.failed",
        subject=video.subject,
        payload={"video": str(video.public_id), "reason": code, "message": message[:500]},
        actor="system",
        organisation=video.brand,
    )


def fail_short_video_if_refused(video: ShortVideo) -> ShortVideo:
    """For the revocation hook: a queued video that the gate now refuses fails at once (a running one fails at its
    next 2 s span), so the page does not show `queued` until a worker picks it up."""
    try:
        _gate(video.avatar, video.platform, "short_video_render")
    except ConsentRefused as refused:
        return _fail(video.pk, refused.reason, str(refused.detail))
    return video


def _fail(video_id: int, code: str, message: str) -> ShortVideo:
    with transaction.atomic():
        locked = ShortVideo.objects.select_for_update().get(pk=video_id)
        if locked.status in ShortVideo.ACTIVE:
            _end(locked, status=ShortVideo.Status.FAILED, code=code, message=message)
    return locked


__all__ = [
    "ORIENTATIONS",
    "SHORT_VIDEO_FPS",
    "SHORT_VIDEO_RESOLUTIONS",
    "approved_script_of",
    "require_ready_avatar",
    "run_short_video",
    "short_video_size",
    "submit_short_video",
]
