"""The biometric vault: per-influencer data keys wrapped by the master key, encrypted objects in the default storage,
and crypto-shredding. The cryptography itself is `consent.biometrics.envelope`.

The master key comes from settings.VAULT_MASTER_KEY (env `VERACAST_VAULT_MASTER_KEY` or `_FILE`: 32 bytes as 64 hex
digits or base64). Its id is derived from the key, so a key and its id cannot drift apart.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import logging
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, BinaryIO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from accounts.models import InfluencerProfile
from audit.services import record_event
from common.api import DomainError
from consent.biometrics import envelope
from consent.models import DataKey, SampleUpload, SampleUploadPart, VaultObject

logger = logging.getLogger(__name__)

VAULT_PREFIX = "vault"


class VaultUnavailableError(DomainError):
    def __init__(self, message: str) -> None:
        super().__init__(message, code="vault_unavailable", status_code=503)


def _configured_master_key() -> str:
    """VERACAST_VAULT_MASTER_KEY (or its _FILE) wins; otherwise the key file at VAULT_MASTER_KEY_PATH, read when
    needed rather than at start-up, so a key that `init_keys` writes after the process started is found."""
    raw = str(getattr(settings, "VAULT_MASTER_KEY", "") or "").strip()
    path = getattr(settings, "VAULT_MASTER_KEY_PATH", None)
    if not raw and path is not None and Path(path).is_file():
        raw = Path(path).read_text(encoding="utf-8").strip()
    return raw


def master_key() -> envelope.MasterKey:
    raw = _configured_master_key()
    if not raw:
        raise VaultUnavailableError(
            "The biometric vault has no master key: set VERACAST_VAULT_MASTER_KEY (or _FILE) to 32 random bytes "
            "(64 hex digits or base64), or run `manage.py init_keys` for a development key."
        )
    key: bytes | None = None
    try:
        key = bytes.fromhex(raw)
    except ValueError:
        try:
            key = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            key = None
    if key is None or len(key) != envelope.KEY_BYTES:
        raise VaultUnavailableError("VERACAST_VAULT_MASTER_KEY must be 32 bytes, as 64 hex digits or base64.")
    key_id = hashlib.sha256(b"veracast vault master key id|" + key).hexdigest()[:16]
    return envelope.MasterKey(key_id=key_id, key=key)


def _context(influencer: InfluencerProfile) -> bytes:
    return f"influencer:{influencer.public_id}".encode()


def _aad(obj: VaultObject) -> bytes:
    return f"influencer:{obj.influencer.public_id}|{obj.kind}:{obj.public_id}".encode()


def active_data_key(influencer: InfluencerProfile) -> DataKey:
    """The influencer's active data key, created (and locked) on first use. Call inside a transaction."""
    existing = DataKey.objects.select_for_update().filter(influencer=influencer, status=DataKey.Status.ACTIVE).first()
    if existing is not None:
        return existing
    wrapped = envelope.wrap_data_key(envelope.generate_data_key(), master_key(), context=_context(influencer))
    data_key = DataKey.objects.create(influencer=influencer, wrapped_key=wrapped)
    record_event(
        kind="vault.key_created",
        subject=f"influencer:{influencer.public_id}",
        payload={"data_key": str(data_key.public_id), "master_key_id": master_key().key_id},
        actor=None,
    )
    return data_key


def _unwrap(data_key: DataKey, influencer: InfluencerProfile) -> bytes:
    if data_key.status != DataKey.Status.ACTIVE:
        raise DomainError(
            "This data key was destroyed; the object can no longer be read.", code="vault_shredded", status_code=410
        )
    return envelope.unwrap_data_key(bytes(data_key.wrapped_key), master_key(), context=_context(influencer))


_local = threading.local()


def _written() -> list[str]:
    if not hasattr(_local, "written"):
        _local.written = []
    written: list[str] = _local.written
    return written


@contextmanager
def discard_on_failure() -> Iterator[None]:
    """Delete every ciphertext stored inside the block if the block raises (wrap the whole atomic block)."""
    start = len(_written())
    try:
        yield
    except BaseException:
        for name in _written()[start:]:
            try:
                default_storage.delete(name)
            except OSError:
                logger.warning("Could not delete the half-stored vault object %s", name, exc_info=True)
        raise
    finally:
        del _written()[start:]


class _Hashing(io.RawIOBase):
    """Reads through to `source` while hashing and counting what passes."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.sha256 = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data

    def readinto(self, buffer: Any) -> int:  # pragma: no cover - encrypt_stream uses read()
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def store_object(
    *,
    influencer: InfluencerProfile,
    kind: str,
    source: IO[bytes],
    content_type: str = "",
    media_info: dict[str, Any] | None = None,
) -> VaultObject:
    """Encrypt `source` under the influencer's data key into the default storage; returns the saved row.

    Call inside the caller's transaction, wrapped in `discard_on_failure()`, so that a rollback also deletes the
    stored ciphertext and nothing is left half-stored.
    """
    data_key = active_data_key(influencer)
    obj = VaultObject(
        influencer=influencer,
        data_key=data_key,
        kind=kind,
        content_type=content_type[:100],
        media_info=media_info or {},
        plaintext_size=0,
        plaintext_sha256="",
        ciphertext_sha256="",
    )
    key = _unwrap(data_key, influencer)
    source.seek(0)
    reader = _Hashing(source)
    # Ciphertext only ever reaches the spool file; it moves to the storage once complete.
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        envelope.encrypt_stream(reader, spool, key, _aad(obj))
        spool.seek(0)
        ciphertext_sha256 = hashlib.sha256()
        for block in iter(lambda: spool.read(1024 * 1024), b""):
            ciphertext_sha256.update(block)
        spool.seek(0)
        name = f"{VAULT_PREFIX}/{influencer.public_id}/{obj.public_id}.{kind}.vcv"
        stored_name = default_storage.save(name, File(spool, name=name))
    _written().append(stored_name)
    obj.storage_name = stored_name
    obj.plaintext_size = reader.size
    obj.plaintext_sha256 = reader.sha256.hexdigest()
    obj.ciphertext_sha256 = ciphertext_sha256.hexdigest()
    obj.save()
    return obj


def open_object(obj: VaultObject) -> BinaryIO:
    """The decrypted object in memory, authenticated completely before anyone reads a byte (never on disk)."""
    key = _unwrap(obj.data_key, obj.influencer)
    with default_storage.open(obj.storage_name, "rb") as handle:
        return envelope.decrypt_to_memory(handle, key, _aad(obj))


def _part_aad(upload: SampleUpload, offset: int) -> bytes:
    # Names the upload and the offset: a part cannot be replayed into another upload or moved within this one.
    return f"influencer:{upload.influencer.public_id}|sample-upload:{upload.public_id}|offset:{offset}".encode()


def store_upload_part(*, upload: SampleUpload, offset: int, data: bytes) -> str:
    """Encrypt one received chunk under the upload's data key into the default storage; returns its storage name.

    Call inside the caller's transaction, wrapped in `discard_on_failure()` (as for `store_object`).
    """
    key = _unwrap(upload.data_key, upload.influencer)
    with tempfile.SpooledTemporaryFile(max_size=envelope.MAX_CHUNK_SIZE + 1024 * 1024) as spool:
        envelope.encrypt_stream(io.BytesIO(data), spool, key, _part_aad(upload, offset))
        spool.seek(0)
        name = f"{VAULT_PREFIX}/{upload.influencer.public_id}/uploads/{upload.public_id}/{offset:012d}.part.vcv"
        stored_name = default_storage.save(name, File(spool, name=name))
    _written().append(stored_name)
    return stored_name


def open_upload(upload: SampleUpload, *, max_bytes: int) -> BinaryIO:
    """Every part of the upload decrypted, in order, into one seekable buffer in memory (never on disk)."""
    key = _unwrap(upload.data_key, upload.influencer)
    buffer = io.BytesIO()
    for part in SampleUploadPart.objects.filter(upload=upload).order_by("offset"):
        if part.offset != buffer.tell():
            raise DomainError("The upload is missing a part; send it again.", code="upload_incomplete")
        with default_storage.open(part.storage_name, "rb") as handle:
            for chunk in envelope.decrypt_stream(handle, key, _part_aad(upload, part.offset)):
                if buffer.tell() + len(chunk) > max_bytes:
                    raise DomainError("The upload is larger than allowed.", code="upload_too_large", status_code=413)
                buffer.write(chunk)
    buffer.seek(0)
    return buffer


def delete_upload_parts_on_commit(upload: SampleUpload) -> None:
    """Forget the upload's encrypted parts once the transaction that ended the upload commits."""
    parts = SampleUploadPart.objects.filter(upload=upload)
    names = list(parts.values_list("storage_name", flat=True))
    parts.delete()

    def delete_blobs() -> None:
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:
                logger.warning("Could not delete the upload part %s", name, exc_info=True)

    transaction.on_commit(delete_blobs)


def destroy_data_keys(*, influencer: InfluencerProfile, actor: Any, reason: str) -> list[DataKey]:
    """Crypto-shred: zero and retire the influencer's active data keys, delete the ciphertexts after commit, and
    append a `vault.key_destroyed` deletion certificate (object ids, hashes, storage names, time) to the ledger.

    Call inside the transaction of the change that requires it (revocation, expiry, legal hold released).
    """
    now = timezone.now()
    destroyed = []
    for data_key in DataKey.objects.select_for_update().filter(influencer=influencer, status=DataKey.Status.ACTIVE):
        objects = list(VaultObject.objects.filter(data_key=data_key).order_by("pk"))
        data_key.wrapped_key = b""
        data_key.status = DataKey.Status.DESTROYED
        data_key.destroyed_at = now
        data_key.save(update_fields=["wrapped_key", "status", "destroyed_at"])
        record_event(
            kind="vault.key_destroyed",
            subject=f"influencer:{influencer.public_id}",
            payload={
                "data_key": str(data_key.public_id),
                "reason": reason,
                "destroyed_at": now.isoformat(),
                "objects": [
                    {
                        "id": str(obj.public_id),
                        "kind": obj.kind,
                        "plaintext_sha256": obj.plaintext_sha256,
                        "ciphertext_sha256": obj.ciphertext_sha256,
                        "storage_name": obj.storage_name,
                    }
                    for obj in objects
                ],
            },
            actor=actor,
        )
        names = [obj.storage_name for obj in objects]
        # Chunks of a sample still arriving were sealed under the same key: they are unreadable now, so the upload
        # ends and its parts go with the objects.
        names += list(SampleUploadPart.objects.filter(upload__data_key=data_key).values_list("storage_name", flat=True))
        SampleUploadPart.objects.filter(upload__data_key=data_key).delete()
        SampleUpload.objects.filter(data_key=data_key, status=SampleUpload.Status.OPEN).update(
            status=SampleUpload.Status.CANCELLED, ended_at=now, refusal_code="vault_shredded"
        )

        def delete_blobs(names: list[str] = names) -> None:
            for name in names:
                try:
                    default_storage.delete(name)
                except OSError:
                    # The key is gone, so the ciphertext is unreadable anyway; deleting it is housekeeping.
                    logger.warning("Could not delete shredded vault object %s", name, exc_info=True)

        transaction.on_commit(delete_blobs)
        destroyed.append(data_key)
    return destroyed
