"""One-time statement codes: shown on screen, read aloud in the statement video, stored only as an HMAC.

A code proves the statement was recorded *now*, for *this* grant, not replayed from an older video. The default is
six digits, because digits read aloud unambiguously in both Mandarin and English; `LETTERS` (no 0/O, 1/I/L, 2/Z,
5/S, 8/B) gives about 27 bits instead of 20 where a code is typed rather than spoken. Either way the code alone is
guessable offline, so the stored form is HMAC-SHA256 under a server key (a plain hash of a 6-digit code falls to a
million guesses), bound to a context such as the grant id so a digest cannot be moved to another grant.
Expiry (10 minutes) and single use are enforced by the Django side, which keeps the digest and the issue time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

DIGITS = "0123456789"
LETTERS = "ACDEFGHJKMNPQRTUVWXY3479"
CODE_LENGTH = 6
MIN_KEY_BYTES = 32
_PURPOSE = b"veracast statement code v1"


def generate_code(*, alphabet: str = DIGITS, length: int = CODE_LENGTH) -> str:
    """A uniformly random code from the OS CSPRNG (`secrets`, never `random`)."""
    if length < 6 or len(set(alphabet)) < 10:
        raise ValueError("codes need at least 6 characters from an alphabet of at least 10 symbols")
    return "".join(secrets.choice(alphabet) for _ in range(length))


def normalise_code(code: str) -> str:
    """What a person types back: spaces and dashes dropped, upper case (`12 34-56` == `123456`)."""
    return "".join(ch for ch in code.upper() if not ch.isspace() and ch != "-")


def code_digest(code: str, key: bytes, *, context: str = "") -> str:
    """Hex HMAC-SHA256 of the normalised code under `key`, bound to `context` (e.g. "grant:42")."""
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"the code key must be at least {MIN_KEY_BYTES} bytes")
    context_bytes = context.encode()
    # Length-prefix the context so that (context, code) pairs cannot collide by shifting characters across.
    message = _PURPOSE + len(context_bytes).to_bytes(4, "big") + context_bytes + normalise_code(code).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def codes_equal(a: str, b: str) -> bool:
    """Constant-time comparison of two digests (or codes): timing reveals nothing about where they differ."""
    return hmac.compare_digest(a.encode(), b.encode())


def check_code(code: str, stored_digest: str, key: bytes, *, context: str = "") -> bool:
    """Whether `code` is the one whose digest was stored. Expiry and single use are the caller's job."""
    return codes_equal(code_digest(code, key, context=context), stored_digest)
