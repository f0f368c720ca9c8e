"""A stream's webhook secret: 32 random bytes (as 64 hex digits) issued to the brand once, sealed at rest with the
stream-key encryption key (AES-256-GCM, bound to the stream), never shown again, logged or ledgered; issuing again
replaces it (rotation)."""

from __future__ import annotations

import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import record_event
from common.api import DomainError
from interaction.models import WebhookSecret
from streaming.models import Stream
from streaming.stream_keys import _encryption_key

MAGIC = b"VWS1"
NONCE_BYTES = 12


def _aad(stream: Stream) -> bytes:
    return f"veracast comment webhook secret|stream:{stream.public_id}".encode()


def _seal(stream: Stream, secret: str) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return MAGIC + nonce + AESGCM(_encryption_key()).encrypt(nonce, secret.encode(), _aad(stream))


def issue_webhook_secret(*, stream: Stream, actor: User) -> str:
    """A new secret for `stream` (the old one stops working at once); the clear value is returned only here."""
    value = secrets.token_hex(32)
    with transaction.atomic():
        replaced = WebhookSecret.objects.filter(stream=stream).exists()
        WebhookSecret.objects.update_or_create(
            stream=stream,
            defaults={"ciphertext": _seal(stream, value), "last4": value[-4:], "issued_at": timezone.now()},
        )
        record_event(
            kind="interaction.webhook_secret_issued",
            subject=stream.subject,
            payload={"stream": str(stream.public_id), "last4": value[-4:], "replaced": replaced},
            actor=actor,
            organisation=stream.organisation,
        )
    return value


def open_webhook_secret(stream: Stream) -> bytes | None:
    """The secret's bytes for checking a signature, or None when the stream has none."""
    row = WebhookSecret.objects.filter(stream=stream).values_list("ciphertext", flat=True).first()
    if row is None:
        return None
    data = bytes(row)
    if data[:4] != MAGIC:
        raise DomainError(
            "The stored webhook secret is unreadable.", code="webhook_secret_unavailable", status_code=503
        )
    try:
        return AESGCM(_encryption_key()).decrypt(data[4 : 4 + NONCE_BYTES], data[4 + NONCE_BYTES :], _aad(stream))
    except InvalidTag:
        raise DomainError(
            "The stored webhook secret failed authentication.", code="webhook_secret_unavailable", status_code=503
        ) from None
