"""Stream keys at rest: AES-256-GCM under one platform key, bound to the stream's id.

A stream key lets anyone who holds it broadcast into the brand's live room, so it is a credential: it is sealed
before it is stored, shown afterwards only as its last four characters, and never logged or written to the ledger.
The encryption key comes from VERACAST_STREAM_KEY_ENCRYPTION_KEY (or _FILE), else the key file at
STREAM_KEY_ENCRYPTION_KEY_PATH; outside production a missing file is created (docs/configuration.md).
"""

from __future__ import annotations

import base64
import binascii
import os
import unicodedata
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from common.api import DomainError

MAGIC = b"VSK1"
NONCE_BYTES = 12
MAX_KEY_LENGTH = 512


class StreamKeyUnavailableError(DomainError):
    def __init__(self, message: str) -> None:
        super().__init__(message, code="stream_key_unavailable", status_code=503)


def _decode(raw: str) -> bytes | None:
    try:
        return bytes.fromhex(raw)
    except ValueError:
        try:
            return base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            return None


def _encryption_key() -> bytes:
    raw = str(getattr(settings, "STREAM_KEY_ENCRYPTION_KEY", "") or "").strip()
    path = Path(settings.STREAM_KEY_ENCRYPTION_KEY_PATH)
    if not raw and path.is_file():
        raw = path.read_text(encoding="utf-8").strip()
    if not raw and settings.STREAM_KEY_AUTOCREATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes creating it at once keep the first key, and the file is private from the start.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(os.urandom(32).hex())
        raw = path.read_text(encoding="utf-8").strip()
    if not raw:
        raise StreamKeyUnavailableError(
            "Stream keys cannot be stored: set VERACAST_STREAM_KEY_ENCRYPTION_KEY (or _FILE) to 32 random bytes "
            "(64 hex digits or base64)."
        )
    key = _decode(raw)
    if key is None or len(key) != 32:
        raise StreamKeyUnavailableError(
            "VERACAST_STREAM_KEY_ENCRYPTION_KEY must be 32 bytes, as 64 hex digits or base64."
        )
    return key


def clean_stream_key(value: object) -> str:
    """The key as given, or 400: 1 to 512 characters, no control characters, no spaces (an ingest would refuse
    them, and a control character in a key is a sign of a paste gone wrong or of header injection)."""
    if not isinstance(value, str) or not value:
        raise DomainError("Enter the stream key the platform gave you.", code="stream_key_required", status_code=400)
    if len(value) > MAX_KEY_LENGTH:
        raise DomainError(
            f"A stream key has at most {MAX_KEY_LENGTH} characters.", code="invalid_stream_key", status_code=400
        )
    if any(unicodedata.category(ch).startswith(("C", "Z")) for ch in value):
        raise DomainError(
            "The stream key contains a control character or a space; copy it again from the platform.",
            code="invalid_stream_key",
            status_code=400,
        )
    return value


def _aad(stream_public_id: str) -> bytes:
    return f"veracast stream key|stream:{stream_public_id}".encode()


def seal_stream_key(*, stream_public_id: str, key: str) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return MAGIC + nonce + AESGCM(_encryption_key()).encrypt(nonce, key.encode("utf-8"), _aad(stream_public_id))


def open_stream_key(*, stream_public_id: str, sealed: bytes) -> str:
    """The clear key, for the live runner's push only (never for a page, a log line or the ledger)."""
    data = bytes(sealed)
    if data[:4] != MAGIC:
        raise StreamKeyUnavailableError("The stored stream key is not in a known format.")
    nonce, body = data[4 : 4 + NONCE_BYTES], data[4 + NONCE_BYTES :]
    try:
        return AESGCM(_encryption_key()).decrypt(nonce, body, _aad(stream_public_id)).decode("utf-8")
    except InvalidTag:
        raise StreamKeyUnavailableError("The stored stream key failed authentication.") from None


def last4(key: str) -> str:
    return key[-4:]
