"""Documents a person signs with their passkey, for any app: a script approval, a go-live re-verification (and the
consent flows, which use the same two checks in consent/services.py).

A document is issued first: its RFC 8785 text waits in the cache for its time to live, and the WebAuthn request
options carry its SHA-256 as the challenge, so the authenticator's signature covers the document itself. The
assertion is then verified against that cached text and consumed inside the caller's transaction: the passkey's
counter advances and the challenge is burnt, so a replayed or concurrent assertion is refused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import rfc8785
from django.core.cache import cache

from accounts.models import User
from common.api import DomainError
from consent import passkeys
from consent.models import WebAuthnCredential
from consent.scope import challenge_for


@dataclass(frozen=True)
class PasskeySignature:
    """A verified assertion over `document`, not yet consumed."""

    document: str
    document_sha256: str
    credential: WebAuthnCredential
    asserted: passkeys.Asserted
    challenge: bytes

    @property
    def credential_id(self) -> str:
        return str(self.asserted.evidence["credential_id"])

    def consume(self) -> None:
        """Inside the caller's transaction: advance the counter and burn the challenge."""
        from consent.services import _consume_webauthn

        _consume_webauthn(self.credential, self.asserted, self.challenge)


def issue_document(
    *, user: User, document: Mapping[str, Any], cache_key: str, ttl_s: int, rp: passkeys.RelyingParty | None = None
) -> dict[str, Any]:
    """The canonical document, its SHA-256 and the WebAuthn request options (challenge = that SHA-256) for `user`'s
    passkeys; the document waits `ttl_s` seconds under `cache_key`."""
    text = rfc8785.dumps(dict(document)).decode("utf-8")
    cache.set(cache_key, text, timeout=ttl_s)
    credentials = [
        bytes(c) for c in WebAuthnCredential.objects.filter(user=user).values_list("credential_id", flat=True)
    ]
    options = passkeys.assertion_options(
        rp=rp or passkeys.relying_party(), challenge=challenge_for(text), credential_ids=credentials
    )
    return {"document": text, "document_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "publicKey": options}


def pending_document(cache_key: str) -> str | None:
    """The document issued under `cache_key`, while it has not expired."""
    text = cache.get(cache_key)
    return str(text) if text else None


def forget_document(cache_key: str) -> None:
    cache.delete(cache_key)


def verify_document_signature(
    *, user: User, document: str, credential: Any, rp: passkeys.RelyingParty | None = None
) -> PasskeySignature:
    """`user`'s passkey assertion over `document`, verified (400 with the passkey check's code otherwise)."""
    from consent.services import _verify_webauthn  # the one WebAuthn check, shared with consent's own flows

    if not isinstance(credential, dict):
        raise DomainError("Send the passkey assertion.", code="signature_required", status_code=400)
    challenge = challenge_for(document)
    row, asserted = _verify_webauthn(
        user=user, assertion=credential, challenge=challenge, rp=rp or passkeys.relying_party()
    )
    return PasskeySignature(
        document=document,
        document_sha256=hashlib.sha256(document.encode("utf-8")).hexdigest(),
        credential=row,
        asserted=asserted,
        challenge=challenge,
    )
