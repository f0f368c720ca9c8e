"""A viewer's platform id is never stored: a keyed hash (HMAC-SHA256) under a key derived from the stream-key
encryption key, scoped to the brand and platform, so the same viewer is recognisable within one brand's room (for
per-author rate limits and the FAQ page's counts) and not across brands, and a leaked table cannot be reversed by
hashing guessed ids without the key."""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from streaming.stream_keys import _encryption_key


@lru_cache(maxsize=1)
def _key() -> bytes:
    return hmac.new(_encryption_key(), b"veracast interaction author hash v1", hashlib.sha256).digest()


def hash_author(*, organisation_id: int, platform: str, author_id: str) -> str:
    message = f"{organisation_id}|{platform}|{author_id}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()
