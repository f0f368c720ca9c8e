"""Flood control for the comment webhook: fixed one-second windows per stream and one-minute windows per viewer
(hashed author), counted in Redis (in process memory on the embedded default without Redis).

A request is taken whole or refused whole: when any of its comments would pass a limit, the counts it added are
taken back and the caller answers 429 with Retry-After, so nothing of an accepted request is ever dropped and
nothing of a refused one is half-stored; the platform retries it later."""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings

PREFIX = "veracast:ix:rate:"


@dataclass(frozen=True)
class RateRefusal:
    retry_after: int
    scope: str  # "stream" or "author"


@lru_cache(maxsize=1)
def _redis() -> Any:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return None
    import redis

    return redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)


def reset_connections() -> None:
    _redis.cache_clear()


_local: Counter[str] = Counter()
_local_lock = threading.Lock()


def _incr(keys: dict[str, tuple[int, int]]) -> dict[str, int]:
    """Add `amount` to each key (expiring after `ttl`); the new counts."""
    client = _redis()
    if client is None:
        with _local_lock:
            for key, (amount, _ttl) in keys.items():
                _local[key] += amount
            return {key: _local[key] for key in keys}
    pipe = client.pipeline(transaction=False)
    for key, (amount, ttl) in keys.items():
        pipe.incrby(key, amount)
        pipe.expire(key, ttl, nx=True)
    replies = pipe.execute()
    return {key: int(replies[2 * i]) for i, key in enumerate(keys)}


def _take_back(keys: dict[str, tuple[int, int]]) -> None:
    client = _redis()
    if client is None:
        with _local_lock:
            for key, (amount, _ttl) in keys.items():
                _local[key] -= amount
        return
    pipe = client.pipeline(transaction=False)
    for key, (amount, _ttl) in keys.items():
        pipe.decrby(key, amount)
    pipe.execute()


def take(*, stream_id: int, author_hashes: list[str], now: float | None = None) -> RateRefusal | None:
    """Count one request's comments against the limits; None when it may be stored, else why not and when to retry."""
    if not author_hashes:
        return None
    now = time.time() if now is None else now
    second = int(now)
    minute = second // 60
    per_stream = settings.INTERACTION_STREAM_RATE_PER_SECOND
    per_author = settings.INTERACTION_AUTHOR_RATE_PER_MINUTE
    keys: dict[str, tuple[int, int]] = {f"{PREFIX}s:{stream_id}:{second}": (len(author_hashes), 5)}
    for author, count in Counter(author_hashes).items():
        keys[f"{PREFIX}a:{stream_id}:{author}:{minute}"] = (count, 120)
    counts = _incr(keys)
    stream_key = next(iter(keys))
    if counts[stream_key] > per_stream:
        _take_back(keys)
        return RateRefusal(retry_after=max(1, math.ceil(second + 1 - now)), scope="stream")
    if any(counts[key] > per_author for key in keys if key != stream_key):
        _take_back(keys)
        return RateRefusal(retry_after=max(1, math.ceil((minute + 1) * 60 - now)), scope="author")
    return None
