"""Avatar workflows: ask the gate, queue the build, and (on a render worker) build the avatar from the consented
sample in the vault and store its assets back in the vault. Every write records its ledger event in its transaction.
"""

from __future__ import annotations

import io
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import InfluencerProfile, Organisation, User
from audit.services import record_event
from common.api import DomainError
from consent import vault
from consent.models import ConsentGrant, DataKey, VaultObject
from render.dispatch import dispatch
from render.errors import ConsentRefused, RenderFailed
from render.gating import gate_avatar, gate_use
from render.models import Avatar
from render.request_keys import earlier_with_key, save_once
from render.voices import default_backend

ASSETS_KIND = "avatar"


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
    request_key: uuid.UUID | None = None,
) -> Avatar:
    """Ask the gate (face likeness; voice too for a voice avatar), then queue the build on the render queue.

    `request_key` (render.request_keys): a build already requested with this key is returned as it is, so a
    double-clicked "build" or a retried API call queues one build."""
    earlier = earlier_with_key(Avatar, request_key, same_work=lambda avatar: avatar.brand_id == brand.pk)
    if earlier is not None:
        return earlier
    modalities = ["face_likeness", "voice"] if voice else ["face_likeness"]
    allowed = gate_use(
        subject=influencer,
        brand=brand,
        purpose=purpose,
        platform=platform,
        modalities=modalities,
        use="avatar_request",
    )
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
        avatar = Avatar(
            influencer=influencer,
            brand=brand,
            grant=allowed,
            purpose=purpose,
            platform=platform,
            voice=voice,
            sample=sample,
            gesture_marks=marks,
            engine_defaults={"engine": "viseme-warp", "tts_backend": default_backend()},
            request_key=request_key,
            created_by=actor,
        )
        twin = save_once(avatar, request_key, same_work=lambda earlier: earlier.brand_id == brand.pk)
        if twin is not None:
            return twin
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
        dispatch(build_avatar_task, avatar.pk)
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
    gate_avatar(avatar)
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
        dispatch(build_avatar_task, avatar.pk)
    return avatar


def fail_avatar(avatar_id: int, code: str, message: str) -> None:
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
        gate_avatar(avatar)
        assets_bytes, info = _build_assets(avatar, on_progress)
    except ConsentRefused as exc:
        fail_avatar(avatar_id, exc.reason, str(exc.detail))
        return Avatar.objects.get(pk=avatar_id)
    except RenderFailed as exc:
        fail_avatar(avatar_id, exc.code, exc.message)
        return Avatar.objects.get(pk=avatar_id)
    except DomainError as exc:  # the vault: shredded key, missing master key
        fail_avatar(avatar_id, exc.code, str(exc.detail))
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
    from render.engine.sample_decoder import DecodedSample, SampleError

    if avatar.sample is None:
        raise RenderFailed("no_sample", "the avatar has no training sample")
    # Decrypted into memory only (the vault authenticates the whole object first): no plaintext touches the disk.
    plain = vault.open_object(avatar.sample)
    try:
        frames = DecodedSample(plain)
    except SampleError as exc:
        raise RenderFailed(exc.code, exc.message) from None
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
    except SampleError as exc:
        raise RenderFailed(exc.code, exc.message) from None
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
