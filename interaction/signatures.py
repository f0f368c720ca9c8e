"""The webhook signature: HMAC-SHA256 over `<timestamp>.<raw body>` with the stream's secret, sent as
`X-Veracast-Signature: sha256=<hex>` with `X-Veracast-Timestamp: <unix seconds>`. Pure: no Django.

A timestamp more than five minutes from the server's clock is refused, so a captured request cannot be replayed
later; within the window, the message ids (unique per stream) refuse it."""

from __future__ import annotations

import hashlib
import hmac

MAX_SKEW_SECONDS = 300


class SignatureError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def sign(secret: bytes, timestamp: int | str, body: bytes) -> str:
    mac = hmac.new(secret, str(timestamp).encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def check_signature(*, secret: bytes, timestamp: str | None, signature: str | None, body: bytes, now: float) -> None:
    if not timestamp or not signature:
        raise SignatureError(
            "signature_missing", "Sign the request: X-Veracast-Timestamp and X-Veracast-Signature are required."
        )
    # isascii: "²" and other Unicode digits pass isdigit() but are no Unix time (and int() refuses them).
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
        raise SignatureError("invalid_timestamp", "X-Veracast-Timestamp must be the Unix time in whole seconds.")
    if abs(now - int(timestamp)) > MAX_SKEW_SECONDS:
        raise SignatureError(
            "stale_request", "The request's timestamp is more than 5 minutes from the server's clock; it is refused."
        )
    # compare_digest refuses non-ASCII str (a TypeError, not a mismatch): compare bytes.
    given = signature.strip().encode("utf-8", "replace")
    if not hmac.compare_digest(sign(secret, timestamp, body).encode("ascii"), given):
        raise SignatureError("bad_signature", "The signature does not match the body and timestamp.")
