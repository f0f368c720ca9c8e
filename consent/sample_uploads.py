"""Resumable, chunked upload of a training sample (a sample can be hundreds of megabytes, sent from a phone).

The protocol, like tus but smaller: `create_sample_upload` declares the size and type; `append_sample_chunk` takes
the bytes at the current offset only (any other offset is refused with the offset to resume from, and nothing
received is lost); `finish_sample_upload` decrypts the parts in memory and runs the same `upload_sample` workflow as
a one-shot upload, so the validation and the ledger event are the same. A chunk that arrives short (the connection
dropped) is refused whole and nothing of it is kept, so the offset always lies on a chunk the server holds.

Each chunk is sealed under the influencer's data key as it arrives (consent.vault.store_upload_part): a revocation
that shreds the key also ends the upload. A refused or cancelled upload's parts are deleted; an open upload lapses
after UPLOAD_TTL and its parts are deleted then (by the beat task within 10 minutes, or sooner when she next uses an
upload).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from common.api import DomainError
from consent import vault
from consent.models import SampleUpload, SampleUploadPart, VaultObject

UPLOAD_TTL = timedelta(hours=24)
# What a phone browser sends per request: small enough to resend cheaply after a drop, large enough to be quick.
CHUNK_MAX_BYTES = 8 * 1024 * 1024
# MediaRecorder writes WebM (Chrome, Firefox) or MP4 (Safari); phones' camera apps write MP4 or QuickTime.
ACCEPTED_TYPES = ("video/mp4", "video/webm", "video/quicktime", "video/x-matroska")


def upload_max_bytes() -> int:
    """The largest sample a chunked upload accepts: a 10-minute 1080p phone video is about 600-900 MB."""
    return int(settings.CONSENT_SAMPLE_UPLOAD_MAX_BYTES)


def _owned(upload: SampleUpload, user: User) -> None:
    if upload.influencer.user_id != user.pk:
        raise DomainError("No such upload.", code="not_found", status_code=404)


def _lock(upload: SampleUpload, user: User) -> SampleUpload:
    locked = SampleUpload.objects.select_for_update().select_related("influencer", "data_key").get(pk=upload.pk)
    _owned(locked, user)
    if locked.status == SampleUpload.Status.OPEN and locked.expires_at <= timezone.now():
        # Lapsed a moment ago: expire_sample_uploads (run before this lock, in its own transaction) ends it.
        raise DomainError("This upload has expired; start a new upload.", code="upload_expired", status_code=409)
    if locked.status != SampleUpload.Status.OPEN:
        raise DomainError(
            f"This upload is {locked.status}; start a new upload.", code=f"upload_{locked.status}", status_code=409
        )
    return locked


def _end(upload: SampleUpload, status: str, *, code: str = "", message: str = "") -> None:
    upload.status = status
    upload.ended_at = timezone.now()
    upload.refusal_code, upload.refusal_message = code, message
    upload.save(update_fields=["status", "ended_at", "refusal_code", "refusal_message"])
    vault.delete_upload_parts_on_commit(upload)


def create_sample_upload(*, user: User, total_size: int, content_type: str, filename: str = "") -> SampleUpload:
    """Declare a sample upload of `total_size` bytes. Refuses a size or type that could never be accepted before
    a byte is sent, so nobody uploads 600 MB to learn that."""
    from consent.services import require_eligible_influencer

    influencer = require_eligible_influencer(user=user, action="upload_sample")
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type not in ACCEPTED_TYPES:
        raise DomainError(
            f"A training sample must be a video ({', '.join(ACCEPTED_TYPES)}); this file is "
            f"'{media_type or 'of no type'}'.",
            code="unsupported_media_type",
            status_code=415,
        )
    if total_size <= 0:
        raise DomainError("The upload is empty.", code="empty_upload", status_code=400)
    if total_size > upload_max_bytes():
        raise DomainError(
            f"The video is {total_size} bytes; at most {upload_max_bytes()} bytes are accepted.",
            code="upload_too_large",
            status_code=413,
        )
    expire_sample_uploads(user=user)
    with transaction.atomic():
        return SampleUpload.objects.create(
            influencer=influencer,
            data_key=vault.active_data_key(influencer),
            total_size=total_size,
            content_type=media_type,
            filename=filename[:200],
            expires_at=timezone.now() + UPLOAD_TTL,
        )


def append_sample_chunk(*, upload: SampleUpload, user: User, offset: int, data: bytes, declared: int) -> SampleUpload:
    """Store `data` as the bytes at `offset`. `declared` is the Content-Length the client announced: fewer bytes
    mean the connection dropped, and the chunk is refused whole (resend it from the same offset)."""
    if len(data) != declared:
        raise DomainError(
            f"Only {len(data)} of the {declared} bytes of this chunk arrived; nothing of it was kept. "
            f"Send it again from offset {offset}.",
            code="chunk_incomplete",
            status_code=400,
        )
    if not data:
        raise DomainError("The chunk is empty.", code="empty_chunk", status_code=400)
    if len(data) > CHUNK_MAX_BYTES:
        raise DomainError(f"A chunk may be at most {CHUNK_MAX_BYTES} bytes.", code="chunk_too_large", status_code=413)
    expire_sample_uploads(user=user)
    with vault.discard_on_failure(), transaction.atomic():
        locked = _lock(upload, user)
        if offset != locked.received:
            raise DomainError(
                f"The upload continues at offset {locked.received}, not {offset}; resume from there.",
                code="offset_mismatch",
                status_code=409,
            )
        if offset + len(data) > locked.total_size:
            raise DomainError(
                f"This chunk ends at byte {offset + len(data)}, past the declared size of {locked.total_size}.",
                code="upload_too_large",
                status_code=413,
            )
        name = vault.store_upload_part(upload=locked, offset=offset, data=data)
        SampleUploadPart.objects.create(upload=locked, offset=offset, size=len(data), storage_name=name)
        locked.received = offset + len(data)
        locked.save(update_fields=["received"])
    return locked


def finish_sample_upload(*, upload: SampleUpload, user: User) -> VaultObject:
    """Validate and store the assembled sample exactly as a one-shot upload does. A refusal of the video ends the
    upload (its parts are deleted: a refused biometric video is not kept) and is raised with its reason; any other
    failure (the vault unavailable) leaves the upload open to finish again."""
    from consent.services import upload_sample

    expire_sample_uploads(user=user)
    refused: DomainError | None = None
    with transaction.atomic():
        locked = _lock(upload, user)
        if locked.received != locked.total_size:
            raise DomainError(
                f"{locked.received} of {locked.total_size} bytes have arrived; send the rest from offset "
                f"{locked.received}.",
                code="upload_incomplete",
                status_code=409,
            )
        video = vault.open_upload(locked, max_bytes=locked.total_size)
        try:
            with transaction.atomic():
                sample = upload_sample(user=user, video=video, content_type=locked.content_type)
        except DomainError as exc:
            if exc.status_code != 400:
                raise
            refused = exc
            _end(locked, SampleUpload.Status.REFUSED, code=exc.code, message=str(exc.detail))
        else:
            locked.sample = sample
            locked.save(update_fields=["sample"])
            _end(locked, SampleUpload.Status.FINISHED)
        finally:
            del video
    if refused is not None:
        raise refused
    return sample


def cancel_sample_upload(*, upload: SampleUpload, user: User) -> SampleUpload:
    expire_sample_uploads(user=user)
    with transaction.atomic():
        locked = _lock(upload, user)
        _end(locked, SampleUpload.Status.CANCELLED)
    return locked


def expire_sample_uploads(*, user: User | None = None, now: datetime | None = None) -> int:
    """End open uploads past their time and delete their parts (all of them, or one person's)."""
    stale = SampleUpload.objects.filter(status=SampleUpload.Status.OPEN, expires_at__lte=now or timezone.now())
    if user is not None:
        stale = stale.filter(influencer__user=user)
    count = 0
    with transaction.atomic():
        for upload in stale.select_for_update(skip_locked=True):
            _end(upload, SampleUpload.Status.EXPIRED)
            count += 1
    return count


def get_sample_upload(*, user: User, upload_id: str) -> SampleUpload:
    """Her upload by id; anyone else's, or a malformed id, is "no such upload" (404)."""
    try:
        key = uuid.UUID(upload_id)
    except ValueError:
        key = None
    upload = (
        SampleUpload.objects.select_related("influencer", "sample").filter(public_id=key).first()
        if key is not None
        else None
    )
    if upload is None:
        raise DomainError("No such upload.", code="not_found", status_code=404)
    _owned(upload, user)
    return upload
