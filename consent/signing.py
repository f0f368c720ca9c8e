"""The platform's countersignature: Ed25519 with the ledger signing key (audit.keys), whose key id it records.

One key for the ledger and for consent keeps key management in one place (`manage.py init_keys`, rotation keeps old
public keys); receipts carry the public key, so they verify offline after a rotation too.
"""

from __future__ import annotations

from dataclasses import dataclass

from audit.keys import KeyUnavailableError, load_signing_key, raw_public_bytes
from common.api import DomainError
from consent.receipts import b64


@dataclass(frozen=True)
class Countersignature:
    signature: str  # base64
    key_id: str
    public_key: str  # base64 of the 32 raw bytes


def countersign(document: str) -> Countersignature:
    try:
        key = load_signing_key()
    except KeyUnavailableError:
        raise DomainError(
            "The platform signing key is not available; the consent cannot be countersigned now.",
            code="signing_key_unavailable",
            status_code=503,
        ) from None
    return Countersignature(
        signature=b64(key.sign(document.encode("utf-8"))),
        key_id=key.key_id,
        public_key=b64(raw_public_bytes(key.private_key.public_key())),
    )
