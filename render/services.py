"""Render workflows: building avatars from consented samples and rendering jobs into signed, published segments.

Every use asks the consent gate first: `create_avatar` and `submit_render_job` before anything is queued, the
avatar build when it starts, and the render loop before every segment. A segment is published in ONE transaction
(its Segment row and its `segment.published` ledger event) after its bytes are stored, so a worker that dies
mid-segment leaves neither, and the redelivered task renders that sequence again.

Heavy libraries (PyAV, torch, onnxruntime, c2pa) are imported inside the functions that run on render workers.
"""

from __future__ import annotations

import hashlib
import io
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import InfluencerProfile, Organisation, User
from audit.services import record_event
from common.api import DomainError
from consent import vault
from consent.broadcast import Revocation
from consent.gate import ConsentDenied, authorize_use
from consent.models import ConsentGrant, DataKey, VaultObject
from render.models import Avatar, RenderJob, Segment

logger = logging.getLogger(__name__)

ASSETS_KIND = "avatar"
RESOLUTIONS = {"720p": (1280, 720), "1080p": (1920, 1080)}
FRAME_RATES = (25, 30)
ENGINES = ("viseme-warp", "onnx")
LABEL_LANGUAGES = ("zh+en", "zh", "en+zh")
LANGUAGES = ("zh", "en")
MAX_LINES = 200
# Sample codecs the avatar build decodes (the consent upload accepts the same set).
SUPPORTED_CODECS = frozenset({"h264", "vp8", "vp9", "av1", "hevc"})


class ConsentRefused(DomainError):  # noqa: N818 - the gate's word, as ConsentDenied
    """The gate said no; `code` is the gate's reason (no_consent, revoked, modality_not_granted, ...)."""

    def __init__(self, denied: ConsentDenied) -> None:
        super().__init__(denied.message, code=denied.reason, status_code=403)
        self.reason = denied.reason


class RenderFailed(Exception):  # noqa: N818 - a job's end state, named like the others
    """A build or render that cannot go on; `code` is stable, `message` names the problem."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class _GateSubject:
    """What the gate needs of an avatar; lets the gate run before an Avatar row exists."""

    influencer_id: int


def _gate(
    *, influencer_id: int, brand: Organisation, purpose: str, platform: str, modalities: Sequence[str]
) -> ConsentGrant:
    try:
        return authorize_use(
            avatar=_GateSubject(influencer_id),
            brand=brand,
            purpose=purpose,
            platform=platform,
            modalities=modalities,
            at=timezone.now(),
        )
    except ConsentDenied as denied:
        raise ConsentRefused(denied) from None


def _gate_avatar(avatar: Avatar) -> ConsentGrant:
    """The gate for building an avatar: its own brand, purpose and platform."""
    return _gate(
        influencer_id=avatar.influencer_id,
        brand=avatar.brand,
        purpose=avatar.purpose,
        platform=avatar.platform,
        modalities=avatar.modalities,
    )


def _gate_job(job: RenderJob) -> ConsentGrant:
    """The gate for rendering a job: the job's brand, purpose and platform with its avatar's modalities."""
    return _gate(
        influencer_id=job.avatar.influencer_id,
        brand=job.brand,
        purpose=job.purpose,
        platform=job.platform,
        modalities=job.avatar.modalities,
    )


def _latest_sample(influencer: InfluencerProfile) -> VaultObject | None:
    return (
        VaultObject.objects.filter(
            influencer=influencer, kind=VaultObject.Kind.SAMPLE, data_key__status=DataKey.Status.ACTIVE
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def _bound_sample(grant: ConsentGrant) -> VaultObject | None:
    """The sample the grant's statement was checked against (a v2 scope document names it): avatars are built from
    it and no other. A grant whose statement predates sample binding (v1 document) keeps the old rule."""
    if grant.scope.get("type") == "veracast.consent.scope/v1":
        return _latest_sample(grant.influencer)
    sample = grant.sample
    if (
        sample is None
        or sample.data_key.status != DataKey.Status.ACTIVE
        or sample.plaintext_sha256 != grant.sample_sha256
    ):
        return None
    return sample


# Avatars -------------------------------------------------------------------------------------------------------


def create_avatar(
    *,
    influencer: InfluencerProfile,
    brand: Organisation,
    actor: User | None,
    purpose: str,
    platform: str,
    voice: bool = False,
    grant: ConsentGrant | None = None,
    gesture_marks: Sequence[dict[str, Any]] = (),
) -> Avatar:
    """Ask the gate (face likeness; voice too for a voice avatar), then queue the build on the render queue."""
    modalities = ["face_likeness", "voice"] if voice else ["face_likeness"]
    allowed = _gate(influencer_id=influencer.pk, brand=brand, purpose=purpose, platform=platform, modalities=modalities)
    if grant is not None and grant.pk != allowed.pk:
        raise DomainError(
            "The named consent grant does not cover this use; leave it out to use the grant that does.",
            code="grant_mismatch",
            status_code=400,
        )
    sample = _bound_sample(allowed)
    if sample is None:
        raise DomainError(
            "The consent is bound to no training sample in the vault: the influencer must record a new statement "
            "check for the current sample, or give a new consent.",
            code="no_sample",
            status_code=409,
        )
    marks = validate_gesture_marks(gesture_marks, duration_s=None)
    from render.tasks import build_avatar_task

    with transaction.atomic():
        avatar = Avatar.objects.create(
            influencer=influencer,
            brand=brand,
            grant=allowed,
            purpose=purpose,
            platform=platform,
            voice=voice,
            sample=sample,
            gesture_marks=marks,
            engine_defaults={"engine": "viseme-warp", "tts_backend": "espeak"},
            created_by=actor,
        )
        record_event(
            kind="avatar.requested",
            subject=avatar.subject,
            payload={
                "influencer": str(influencer.public_id),
                "brand": str(brand.public_id),
                "consent_grant_id": str(allowed.public_id),
                "sample": str(sample.public_id),
                "sample_sha256": sample.plaintext_sha256,
                "modalities": modalities,
                "purpose": purpose,
                "platform": platform,
            },
            actor=actor,
            organisation=brand,
        )
        build_avatar_task.delay_on_commit(avatar.pk)
    return avatar


def validate_gesture_marks(marks: Sequence[dict[str, Any]], *, duration_s: float | None) -> list[dict[str, Any]]:
    """Gesture marks as stored, or 400 `invalid_gesture_marks` naming the problem (engine rules)."""
    from render.engine.avatar.gestures import GestureMark, GestureMarkError, validate_marks

    try:
        parsed = [GestureMark(str(m["name"]), float(m["start_s"]), float(m["end_s"])) for m in marks]
        validate_marks(parsed, duration_s if duration_s is not None else float("inf"))
    except (KeyError, TypeError, ValueError) as exc:
        message = str(exc) if isinstance(exc, GestureMarkError) else f"malformed gesture mark: {exc}"
        raise DomainError(message, code="invalid_gesture_marks", status_code=400) from None
    return [{"name": m.name, "start_s": m.start_s, "end_s": m.end_s} for m in parsed]


def set_gesture_marks(*, avatar: Avatar, marks: Sequence[dict[str, Any]], actor: User) -> Avatar:
    """Store the marked gestures and rebuild the avatar with them (the clips are cut at build time)."""
    if avatar.status in (Avatar.Status.SHREDDED,):
        raise DomainError("This avatar was shredded with its consent.", code="avatar_shredded", status_code=410)
    if avatar.status in (Avatar.Status.QUEUED, Avatar.Status.BUILDING):
        raise DomainError("Wait until the current build ends.", code="avatar_building", status_code=409)
    stored = validate_gesture_marks(marks, duration_s=avatar.sample_duration_s)
    _gate_avatar(avatar)
    from render.tasks import build_avatar_task

    with transaction.atomic():
        avatar.gesture_marks = stored
        avatar.status = Avatar.Status.QUEUED
        avatar.progress = 0.0
        avatar.error_code = ""
        avatar.error_message = ""
        avatar.updated_at = timezone.now()
        avatar.save(update_fields=["gesture_marks", "status", "progress", "error_code", "error_message", "updated_at"])
        record_event(
            kind="avatar.gestures_marked",
            subject=avatar.subject,
            payload={"marks": stored},
            actor=actor,
            organisation=avatar.brand,
        )
        build_avatar_task.delay_on_commit(avatar.pk)
    return avatar


class DecodedSample(Sequence[Any]):
    """RGB frames of an in-memory video, decoded lazily with PyAV: sequential reads decode forward, a jump
    backwards reopens the container. build_avatar reads every frame once in order, then a few contiguous spans."""

    def __init__(self, data: IO[bytes]) -> None:
        import av

        self._data = data
        try:
            with av.open(data, mode="r") as container:
                if not container.streams.video:
                    raise RenderFailed("no_video_stream", "the sample has no video stream")
                stream = container.streams.video[0]
                codec = stream.codec_context.name
                if codec not in SUPPORTED_CODECS:
                    raise RenderFailed(
                        "unsupported_codec",
                        f"the sample's video codec {codec!r} is not supported; use one of "
                        f"{', '.join(sorted(SUPPORTED_CODECS))}",
                    )
                rate = stream.average_rate or stream.guessed_rate
                self.fps = float(rate) if rate else 25.0
                self._count = sum(1 for packet in container.demux(stream) if packet.size)
        except av.error.FFmpegError as exc:
            raise RenderFailed("corrupt_sample", f"the sample cannot be read as a video: {exc}") from None
        if self._count == 0:
            raise RenderFailed("corrupt_sample", "the sample holds no video frames")
        self._container: Any = None
        self._frames: Iterator[Any] | None = None
        self._position = -1
        self._current: Any = None

    def __len__(self) -> int:
        return self._count

    def _reopen(self) -> None:
        import av

        if self._container is not None:
            self._container.close()
        self._data.seek(0)
        self._container = av.open(self._data, mode="r")
        self._frames = self._container.decode(video=0)
        self._position = -1

    def __getitem__(self, index: Any) -> Any:
        import av

        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        if index == self._position:
            return self._current
        if self._frames is None or index < self._position:
            self._reopen()
        assert self._frames is not None
        try:
            while self._position < index:
                frame = next(self._frames)
                self._position += 1
                if self._position == index:
                    self._current = frame.to_ndarray(format="rgb24")
        except StopIteration:
            raise RenderFailed(
                "corrupt_sample", f"the sample ends after {self._position + 1} of {self._count} frames"
            ) from None
        except av.error.FFmpegError as exc:
            raise RenderFailed("corrupt_sample", f"frame {self._position + 1} cannot be decoded: {exc}") from None
        return self._current

    def close(self) -> None:
        if self._container is not None:
            self._container.close()
            self._container = None


def _fail_avatar(avatar_id: int, code: str, message: str) -> None:
    with transaction.atomic():
        avatar = Avatar.objects.select_for_update().get(pk=avatar_id)
        if avatar.status not in (Avatar.Status.QUEUED, Avatar.Status.BUILDING):
            return
        avatar.status = Avatar.Status.FAILED
        avatar.error_code = code
        avatar.error_message = message[:2000]
        avatar.updated_at = timezone.now()
        avatar.save(update_fields=["status", "error_code", "error_message", "updated_at"])
        record_event(
            kind="avatar.failed",
            subject=avatar.subject,
            payload={"reason": code, "message": message[:500]},
            actor="system",
            organisation=avatar.brand,
        )


def build_avatar_now(*, avatar_id: int, on_progress: Callable[[float], None] | None = None) -> Avatar:
    """The render worker's side of an avatar build (idempotent: a ready, failed or shredded avatar is left alone;
    a build interrupted by a dead worker starts again)."""
    claimed = Avatar.objects.filter(pk=avatar_id, status__in=[Avatar.Status.QUEUED, Avatar.Status.BUILDING]).update(
        status=Avatar.Status.BUILDING, progress=0.0, updated_at=timezone.now()
    )
    avatar = Avatar.objects.select_related("brand", "influencer", "sample").get(pk=avatar_id)
    if not claimed:
        return avatar
    with transaction.atomic():
        record_event(
            kind="avatar.build_started",
            subject=avatar.subject,
            payload={"sample": str(avatar.sample.public_id) if avatar.sample else None},
            actor="system",
            organisation=avatar.brand,
        )
    try:
        _gate_avatar(avatar)
        assets_bytes, info = _build_assets(avatar, on_progress)
    except ConsentRefused as exc:
        _fail_avatar(avatar_id, exc.reason, str(exc.detail))
        return Avatar.objects.get(pk=avatar_id)
    except RenderFailed as exc:
        _fail_avatar(avatar_id, exc.code, exc.message)
        return Avatar.objects.get(pk=avatar_id)
    except DomainError as exc:  # the vault: shredded key, missing master key
        _fail_avatar(avatar_id, exc.code, str(exc.detail))
        return Avatar.objects.get(pk=avatar_id)

    with vault.discard_on_failure(), transaction.atomic():
        locked = Avatar.objects.select_for_update().get(pk=avatar_id)
        if locked.status != Avatar.Status.BUILDING:  # cancelled while building (revocation)
            return locked
        stored = vault.store_object(
            influencer=avatar.influencer,
            kind=ASSETS_KIND,
            source=io.BytesIO(assets_bytes),
            content_type="application/x-veracast-avatar",
            media_info={"avatar": str(avatar.public_id)},
        )
        locked.assets = stored
        locked.status = Avatar.Status.READY
        locked.progress = 1.0
        locked.suggestions = info["suggestions"]
        locked.sample_duration_s = info["duration_s"]
        locked.stats = info["stats"]
        locked.built_at = locked.updated_at = timezone.now()
        locked.save(
            update_fields=[
                "assets",
                "status",
                "progress",
                "suggestions",
                "sample_duration_s",
                "stats",
                "built_at",
                "updated_at",
            ]
        )
        record_event(
            kind="avatar.ready",
            subject=locked.subject,
            payload={
                "assets": str(stored.public_id),
                "assets_sha256": stored.plaintext_sha256,
                "ciphertext_sha256": stored.ciphertext_sha256,
                "gesture_marks": locked.gesture_marks,
                "clips": info["clips"],
                "consent_grant_id": str(locked.grant.public_id) if locked.grant else None,
            },
            actor="system",
            organisation=locked.brand,
        )
    return locked


def _build_assets(avatar: Avatar, on_progress: Callable[[float], None] | None) -> tuple[bytes, dict[str, Any]]:
    from render.engine.avatar import GestureMark, GestureMarkError, NoUsableFace, build_avatar

    if avatar.sample is None:
        raise RenderFailed("no_sample", "the avatar has no training sample")
    # Decrypted into memory only (the vault authenticates the whole object first): no plaintext touches the disk.
    plain = vault.open_object(avatar.sample)
    frames = DecodedSample(plain)
    last = [0.0, 0.0]

    def progress(value: float) -> None:
        now = time.monotonic()
        if value < 1.0 and value - last[0] < 0.02 and now - last[1] < 1.0:
            return
        last[0], last[1] = value, now
        Avatar.objects.filter(pk=avatar.pk, status=Avatar.Status.BUILDING).update(progress=round(value, 4))
        if on_progress is not None:
            on_progress(value)

    marks = [GestureMark(m["name"], float(m["start_s"]), float(m["end_s"])) for m in avatar.gesture_marks]
    try:
        assets = build_avatar(frames, frames.fps, marks, progress)
    except NoUsableFace as exc:
        raise RenderFailed(exc.reason, exc.message) from None
    except GestureMarkError as exc:
        raise RenderFailed("invalid_gesture_marks", str(exc)) from None
    finally:
        frames.close()
        del plain
    info = {
        "duration_s": round(len(frames) / frames.fps, 3),
        "suggestions": [
            {"start_s": round(s.start_s, 3), "end_s": round(s.end_s, 3), "score": s.score} for s in assets.suggestions
        ],
        "stats": assets.stats,
        "clips": sorted(assets.clips),
    }
    return assets.to_bytes(), info


# Render jobs ---------------------------------------------------------------------------------------------------


def _clean_lines(lines: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Script lines as stored, or 400 with the engine's reason code (unspeakable text, contradicting intent)."""
    from render.engine.avatar.choreography import ScriptIntentError, ScriptLine, check_line
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
        if line_id in seen:
            raise DomainError(f"Script line id {line_id!r} is used twice.", code="duplicate_line_id", status_code=400)
        seen.add(line_id)
        text = str(line.get("text", ""))
        intent = str(line.get("intent") or "idle")
        try:
            language = normalize_language(str(line.get("language") or "zh"))
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


def _onnx_model_path() -> str:
    return str(getattr(settings, "RENDER_ONNX_MODEL_PATH", "") or "")


def submit_render_job(
    *,
    avatar: Avatar,
    actor: User | None,
    purpose: str,
    platform: str,
    lines: Sequence[dict[str, Any]],
    resolution: str = "720p",
    fps: int = 30,
    engine: str = "viseme-warp",
    label_languages: str = "zh+en",
    rhythm_label: bool = False,
) -> RenderJob:
    """Gate, validate the script (before anything is queued), and queue the job on the render queue."""
    if avatar.status != Avatar.Status.READY:
        raise DomainError(f"The avatar is {avatar.status}, not ready.", code="avatar_not_ready", status_code=409)
    if resolution not in RESOLUTIONS:
        raise DomainError("resolution must be 720p or 1080p.", code="invalid_resolution", status_code=400)
    if fps not in FRAME_RATES:
        raise DomainError("fps must be 25 or 30.", code="invalid_fps", status_code=400)
    if engine not in ENGINES:
        raise DomainError(f"engine must be one of {', '.join(ENGINES)}.", code="invalid_engine", status_code=400)
    if engine == "onnx" and not _onnx_model_path():
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
    cleaned = _clean_lines(lines)
    grant = _gate(
        influencer_id=avatar.influencer_id,
        brand=avatar.brand,
        purpose=purpose,
        platform=platform,
        modalities=avatar.modalities,
    )
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
            },
            lines=cleaned,
            created_by=actor,
        )
        job.stream_id = str(job.public_id)
        job.save()
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
            },
            actor=actor,
            organisation=avatar.brand,
        )
        render_job_task.delay_on_commit(job.pk)
    return job


def cancel_render_job(*, job: RenderJob, actor: User | str | None, reason: str = "cancelled") -> RenderJob:
    """Stop a queued or running job; a running one stops at its next segment boundary."""
    with transaction.atomic():
        locked = RenderJob.objects.select_for_update().get(pk=job.pk)
        if locked.status not in RenderJob.ACTIVE:
            raise DomainError(f"This job is already {locked.status}.", code="job_not_active", status_code=409)
        _end_job(locked, status=RenderJob.Status.CANCELLED, code=reason, message="", actor=actor)
    _rewrite_playlist(locked, ended=True)
    return locked


def _end_job_if(job_id: int, statuses: Sequence[str], *, status: str, code: str, message: str) -> RenderJob:
    """Lock the job and, if it is still in one of `statuses`, end it on the system's behalf."""
    with transaction.atomic():
        locked = RenderJob.objects.select_for_update().get(pk=job_id)
        if locked.status in statuses:
            _end_job(locked, status=status, code=code, message=message, actor="system")
    return locked


def _end_job(job: RenderJob, *, status: str, code: str, message: str, actor: User | str | None) -> None:
    """Inside the caller's transaction, with `job` locked."""
    job.status = status
    job.error_code = code if status != RenderJob.Status.DONE else ""
    job.error_message = message[:2000]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error_code", "error_message", "finished_at"])
    published = job.segments.count()
    kinds: dict[str, str] = {
        RenderJob.Status.DONE: "stream.ended",
        RenderJob.Status.CANCELLED: "stream.stopped",
        RenderJob.Status.FAILED: "render_job.failed",
    }
    kind = kinds[status]
    payload: dict[str, Any] = {"job": str(job.public_id), "published_segments": published}
    if status != RenderJob.Status.DONE:
        payload["reason"] = code
        payload["message"] = message[:500]
    record_event(kind=kind, subject=job.subject, payload=payload, actor=actor, organisation=job.brand)


def cancel_work_after_revocation(event: Revocation) -> None:
    """Revocation hook: queued avatars and jobs of the influencer that the gate now refuses are cancelled (a running
    job stops at its next segment's gate check); avatars whose assets key was destroyed become `shredded`."""
    for avatar in Avatar.objects.filter(influencer_id=event.influencer_id).select_related("brand", "assets"):
        if avatar.status == Avatar.Status.READY and avatar.assets is not None:
            destroyed = DataKey.objects.filter(pk=avatar.assets.data_key_id, status=DataKey.Status.DESTROYED).exists()
            if destroyed:
                with transaction.atomic():
                    Avatar.objects.filter(pk=avatar.pk).update(status=Avatar.Status.SHREDDED, updated_at=timezone.now())
                    record_event(
                        kind="avatar.shredded",
                        subject=avatar.subject,
                        payload={"consent_grant_id": event.grant_public_id, "reason": event.reason},
                        actor="system",
                        organisation=avatar.brand,
                    )
            continue
        if avatar.status not in (Avatar.Status.QUEUED, Avatar.Status.BUILDING):
            continue
        try:
            _gate_avatar(avatar)
        except ConsentRefused as refused:
            _fail_avatar(avatar.pk, refused.reason, f"consent {event.reason}: {refused.detail}")
    for job in RenderJob.objects.filter(avatar__influencer_id=event.influencer_id, status=RenderJob.Status.QUEUED):
        try:
            _gate_job(job)
        except ConsentRefused as refused:
            _end_job_if(
                job.pk,
                (RenderJob.Status.QUEUED,),
                status=RenderJob.Status.CANCELLED,
                code=refused.reason,
                message=str(refused.detail),
            )


# The render loop -----------------------------------------------------------------------------------------------


def segment_storage() -> Storage:
    """Where segments go: the `segments` storage when configured, else VERACAST_DATA_DIR/segments/."""
    if "segments" in settings.STORAGES:
        return storages["segments"]
    return FileSystemStorage(location=Path(settings.DATA_DIR) / "segments")


def _store(name: str, data: bytes) -> str:
    storage = segment_storage()
    # A segment re-rendered after a crash replaces the orphan the dead worker may have stored (no row points at it).
    if storage.exists(name):
        storage.delete(name)
    return storage.save(name, ContentFile(data))


def _rewrite_playlist(job: RenderJob, *, ended: bool) -> None:
    from render.engine.encode import write_playlist

    if not job.init_storage_name:
        return
    segments = [(s.uri, s.duration) for s in job.segments.order_by("sequence")]
    text = write_playlist(segments, target_duration=2, ended=ended)
    name = f"{job.stream_id}/index.m3u8"
    stored = _store(name, text.encode())
    if job.playlist_storage_name != stored:
        RenderJob.objects.filter(pk=job.pk).update(playlist_storage_name=stored)
        job.playlist_storage_name = stored


# One worker process renders many jobs: engine models, the C2PA signer and recently used avatars load once.
_cache_lock = threading.Lock()
_signers: dict[tuple[str, str, str], Any] = {}
_assets: dict[int, Any] = {}


def _signer() -> Any:
    from render.engine.c2pa_sign import SegmentSigner, SigningError

    key = (
        str(settings.C2PA_CERT_CHAIN_PATH),
        str(settings.C2PA_SIGNING_KEY_PATH),
        str(settings.C2PA_TRUST_ANCHOR_PATH),
    )
    with _cache_lock:
        if key not in _signers:
            try:
                _signers[key] = SegmentSigner(chain_path=key[0], key_path=key[1], trust_anchor_path=key[2])
            except SigningError as exc:
                raise RenderFailed("signing_credentials_invalid", str(exc)) from None
        return _signers[key]


def _watermark_key() -> bytes:
    from render.engine.watermark import WatermarkError, load_key
    from render.keys import watermark_key_path

    path = watermark_key_path()
    if not path.exists():
        raise RenderFailed(
            "watermark_key_missing",
            f"the watermark key file {path} does not exist; set VERACAST_WATERMARK_KEY_FILE or run "
            "`python manage.py init_keys`",
        )
    try:
        return load_key(path)
    except WatermarkError as exc:
        raise RenderFailed("watermark_key_invalid", str(exc)) from None


def _avatar_assets(avatar: Avatar) -> Any:
    from render.engine.avatar import AvatarAssets, AvatarFormatError

    if avatar.assets is None:
        raise RenderFailed("avatar_not_ready", "the avatar has no stored assets")
    with _cache_lock:
        cached = _assets.get(avatar.assets_id)  # type: ignore[arg-type]
    if cached is not None:
        return cached
    try:
        data = vault.open_object(avatar.assets).read()
        assets = AvatarAssets.from_bytes(data)
    except AvatarFormatError as exc:
        raise RenderFailed("avatar_assets_invalid", str(exc)) from None
    except DomainError as exc:  # a shredded data key, or no vault master key on this worker
        raise RenderFailed(exc.code, str(exc.detail)) from None
    with _cache_lock:
        _assets.clear()  # keep one avatar per worker: they are large
        _assets[avatar.assets_id] = assets  # type: ignore[index]
    return assets


def forget_cached_assets() -> None:
    with _cache_lock:
        _assets.clear()
        _signers.clear()


def _device() -> str:
    wanted = str(getattr(settings, "RENDER_DEVICE", "auto") or "auto")
    if wanted != "auto":
        return wanted
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _renderer(job: RenderJob) -> Any:
    from render.engine.c2pa_sign import ConsentReference
    from render.engine.stream import StreamConfig, StreamRenderer

    grant = job.grant
    if grant is None:
        raise RenderFailed("no_consent", "the job has no consent grant")
    s = job.settings
    config = StreamConfig(
        width=int(s["width"]),
        height=int(s["height"]),
        fps=int(s["fps"]),
        label_languages=str(s.get("label_languages", "zh+en")),
        disclosure_languages=str(s.get("disclosure_languages", "zh+en")),
        rhythm_label=bool(s.get("rhythm_label", False)),
        engine=str(s.get("engine", "viseme-warp")),
        onnx_model_path=_onnx_model_path() or None,
        device=_device(),
        voice_consent_granted="voice" in job.avatar.modalities,
    )
    watermark_key = _watermark_key()
    signer = _signer()
    return StreamRenderer(
        avatar=_avatar_assets(job.avatar),
        config=config,
        stream_id=job.stream_id,
        consent=ConsentReference(grant_id=str(grant.public_id), document_sha256=grant.scope_sha256),
        signer=signer,
        watermark_key=watermark_key,
        content_producer=str(getattr(settings, "RENDER_CONTENT_PRODUCER", "Veracast")),
    )


def _engine_error(exc: Exception) -> RenderFailed | None:
    """Map the engine's refusals to stable codes (None: not an input problem, let it raise)."""
    from render.engine.avatar.choreography import ScriptIntentError
    from render.engine.c2pa_sign import SigningError
    from render.engine.lipsync.onnx_engine import OnnxModelMismatch
    from render.engine.speech.types import SpeechError, UnspeakableText
    from render.engine.stream import StreamConfigError
    from render.engine.watermark import WatermarkError

    if isinstance(exc, RenderFailed):
        return exc
    if isinstance(exc, UnspeakableText):
        return RenderFailed(f"unspeakable_{getattr(exc, 'reason', 'text')}", str(exc))
    if isinstance(exc, ScriptIntentError):
        return RenderFailed(exc.code, exc.message)
    if isinstance(exc, StreamConfigError):
        return RenderFailed(exc.code, exc.message)
    if isinstance(exc, OnnxModelMismatch):
        return RenderFailed("onnx_model_invalid", str(exc))
    if isinstance(exc, FileNotFoundError) and "ONNX" in str(exc):
        return RenderFailed("onnx_model_missing", str(exc))
    if isinstance(exc, SigningError):
        return RenderFailed("signing_failed", str(exc))
    if isinstance(exc, WatermarkError):
        return RenderFailed("watermark_failed", str(exc))
    if isinstance(exc, SpeechError):
        return RenderFailed("speech_failed", str(exc))
    return None


def _fail_job(job_id: int, failure: RenderFailed) -> RenderJob:
    locked = _end_job_if(
        job_id, RenderJob.ACTIVE, status=RenderJob.Status.FAILED, code=failure.code, message=failure.message
    )
    _rewrite_playlist(locked, ended=True)
    return locked


def _job_gate_allows(job: RenderJob) -> bool:
    """Ask the gate at a segment boundary; a refusal ends the job (cancelled, `stream.stopped` with the reason)."""
    try:
        _gate_job(job)
    except ConsentRefused as refused:
        _end_job_if(
            job.pk,
            RenderJob.ACTIVE,
            status=RenderJob.Status.CANCELLED,
            code=refused.reason,
            message=str(refused.detail),
        )
        _rewrite_playlist(job, ended=True)
        return False
    return True


def run_render_job(*, job_id: int, max_segments: int | None = None) -> RenderJob:
    """The render worker's loop (idempotent): renders every sequence after the last published one, asking the gate
    before each; returns the job in its end state. A redelivered task resumes where the dead worker stopped.

    `max_segments` publishes at most that many segments and returns with the job still running (time-slicing, tests).
    """
    claimed = RenderJob.objects.filter(pk=job_id, status__in=RenderJob.ACTIVE).update(status=RenderJob.Status.RUNNING)
    job = RenderJob.objects.select_related("avatar", "avatar__assets", "brand", "grant").get(pk=job_id)
    if not claimed:
        return job
    if job.started_at is None:
        RenderJob.objects.filter(pk=job.pk).update(started_at=timezone.now())
        with transaction.atomic():
            record_event(
                kind="render_job.started",
                subject=job.subject,
                payload={"job": str(job.public_id)},
                actor="system",
                organisation=job.brand,
            )
    if not _job_gate_allows(job):
        return RenderJob.objects.get(pk=job.pk)
    try:
        renderer = _renderer(job)
        from render.engine.stream import ScriptLine

        plan = renderer.plan(
            [ScriptLine(line_id=x["id"], text=x["text"], language=x["language"], intent=x["intent"]) for x in job.lines]
        )
    except Exception as exc:
        failure = _engine_error(exc)
        if failure is None:
            raise
        return _fail_job(job.pk, failure)

    if job.segment_count != plan.segment_count:
        RenderJob.objects.filter(pk=job.pk).update(segment_count=plan.segment_count, duration_s=plan.duration_s)
        job.segment_count = plan.segment_count
    if not job.init_storage_name:
        init = renderer.init_segment()
        stored = _store(f"{job.stream_id}/init.mp4", init.data)
        RenderJob.objects.filter(pk=job.pk).update(init_storage_name=stored, init_manifest_id=init.manifest_id)
        job.init_storage_name, job.init_manifest_id = stored, init.manifest_id

    last = job.segments.order_by("-sequence").first()
    sequence = 0 if last is None else last.sequence + 1
    previous = None if last is None else last.manifest_id
    budget = plan.segment_count if max_segments is None else max_segments
    while sequence < plan.segment_count and budget > 0:
        status = RenderJob.objects.filter(pk=job.pk).values_list("status", flat=True).get()
        if status != RenderJob.Status.RUNNING:  # cancelled by a person or by the revocation hook
            return RenderJob.objects.get(pk=job.pk)
        if not _job_gate_allows(job):
            return RenderJob.objects.get(pk=job.pk)
        try:
            result = renderer.render_segment(plan, sequence, previous_manifest_id=previous)
        except Exception as exc:
            failure = _engine_error(exc)
            if failure is None:
                raise
            return _fail_job(job.pk, failure)
        if not _publish(job, sequence, result):
            return RenderJob.objects.get(pk=job.pk)
        previous = result.record["manifest_id"]
        sequence += 1
        budget -= 1
        _rewrite_playlist(job, ended=sequence >= plan.segment_count)

    if sequence < plan.segment_count:
        return RenderJob.objects.get(pk=job.pk)
    _end_job_if(job.pk, (RenderJob.Status.RUNNING,), status=RenderJob.Status.DONE, code="", message="")
    return RenderJob.objects.get(pk=job.pk)


def _publish(job: RenderJob, sequence: int, result: Any) -> bool:
    """Store the bytes, then the row and its ledger event in one transaction. False: someone else published it."""
    record = result.record
    uri = record.get("uri") or f"seg_{sequence:06d}.m4s"
    data: bytes = result.data
    sha256 = hashlib.sha256(data).hexdigest()
    stored = _store(f"{job.stream_id}/{uri}", data)
    line_ids = list(record.get("script_line_ids") or record.get("line_ids") or [])
    watermark_id = str(record.get("watermark_id") or record.get("watermark_content_id") or "")
    label = record.get("label_parameters") or record.get("label") or {}
    grant_id = str(record.get("consent_grant_id") or (job.grant.public_id if job.grant else ""))
    duration = float(record["duration"])
    try:
        with transaction.atomic():
            locked = RenderJob.objects.select_for_update().get(pk=job.pk)
            if locked.status != RenderJob.Status.RUNNING:
                return False
            segment = Segment.objects.create(
                job=job,
                sequence=sequence,
                storage_name=stored,
                uri=uri,
                sha256=sha256,
                size=len(data),
                duration=duration,
                manifest_id=str(record["manifest_id"]),
                previous_manifest_id=str(record.get("previous_manifest_id") or ""),
                watermark_id=watermark_id,
                label=label,
                grant_id=grant_id,
                script_line_ids=line_ids,
            )
            event = record_event(
                kind="segment.published",
                subject=job.subject,
                payload={
                    "job": str(job.public_id),
                    "sequence": sequence,
                    "uri": uri,
                    "storage_name": stored,
                    "sha256": sha256,
                    "bytes": len(data),
                    "duration": duration,
                    "manifest_id": segment.manifest_id,
                    "previous_manifest_id": segment.previous_manifest_id or None,
                    "init_manifest_id": job.init_manifest_id,
                    "watermark_id": watermark_id,
                    "label_parameters": label,
                    "consent_grant_id": grant_id,
                    "script_line_ids": line_ids,
                },
                actor="system",
                organisation=job.brand,
            )
            Segment.objects.filter(pk=segment.pk).update(ledger_event_id=event.pk)
    except IntegrityError:
        logger.warning("Segment %s of %s was already published; stopping this copy.", sequence, job.stream_id)
        return False
    return True
