"""Revocation broadcast: per-influencer consent version stamps, the Redis pub/sub message, and revocation hooks.

Two mechanisms on purpose. The pub/sub message on `veracast:consent:revoked` lets listeners (a running stream) act at
once. The version stamp makes a lost message harmless: every gate check reads the influencer's current stamp (one
Redis GET) and re-evaluates when it differs from the stamp its cached decision was made under.

The stamp's source of truth is `ConsentVersion.version` (bumped in the writer's transaction). Redis holds a copy:
the writer deletes the key before commit and sets the new value after commit, so between the two a reader falls
back to the database. Without Redis (the embedded demo) every check reads the column itself: one indexed query,
still correct across processes (a per-process cache could not see another process's bump).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from consent.models import ConsentVersion

logger = logging.getLogger(__name__)

REVOKED_CHANNEL = "veracast:consent:revoked"
_STAMP_KEY = "veracast:consent:version:{influencer_id}"
# A reader that repopulates a missing key may race a writer; the expiry bounds how long a stale copy can live
# even if the writer's after-commit SET also failed.
_STAMP_TTL_SECONDS = 30


@dataclass(frozen=True)
class Revocation:
    """What revocation hooks receive: ids only (hooks run after commit, in the revoking process)."""

    grant_public_id: str
    influencer_id: int
    influencer_public_id: str
    reason: str  # "revoked" or "expired"


RevocationHook = Callable[[Revocation], None]
_hooks: list[RevocationHook] = []


def on_revocation(callback: RevocationHook) -> RevocationHook:
    """Register `callback` to run after a revocation or expiry commits (render cancels queued jobs with it).

    Usable as a decorator. A failing hook is logged and does not stop the others: the revocation has committed
    and the gate refuses regardless.
    """
    if callback not in _hooks:
        _hooks.append(callback)
    return callback


def remove_revocation_hook(callback: RevocationHook) -> None:
    if callback in _hooks:
        _hooks.remove(callback)


def run_revocation_hooks(event: Revocation) -> None:
    for hook in tuple(_hooks):
        try:
            hook(event)
        except Exception:
            logger.exception("A revocation hook failed for grant %s", event.grant_public_id)


@lru_cache(maxsize=1)
def _redis_client() -> Any:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return None
    import redis

    # Short timeouts: the gate is on the hot path and falls back to the database when Redis is slow or away.
    return redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)


def reset_connections() -> None:
    """Forget the Redis client (tests that change REDIS_URL, forked workers)."""
    _redis_client.cache_clear()


def _stamp_key(influencer_id: int) -> str:
    return _STAMP_KEY.format(influencer_id=influencer_id)


def _db_version(influencer_id: int) -> int:
    value = ConsentVersion.objects.filter(influencer_id=influencer_id).values_list("version", flat=True).first()
    return int(value or 0)


def current_version(influencer_id: int) -> int:
    """The influencer's consent version stamp: Redis (or the cache), falling back to the database."""
    key = _stamp_key(influencer_id)
    client = _redis_client()
    if client is None:
        return _db_version(influencer_id)
    try:
        raw = client.get(key)
    except Exception:
        logger.warning("Reading the consent version stamp failed; using the database", exc_info=True)
        return _db_version(influencer_id)
    if raw is not None:
        return int(raw)
    version = _db_version(influencer_id)
    try:
        client.set(key, version, ex=_STAMP_TTL_SECONDS, nx=True)
    except Exception:
        logger.warning("Caching the consent version stamp failed", exc_info=True)
    return version


def bump_version(influencer_id: int) -> None:
    """Increase the stamp in the caller's transaction; publish it to Redis/the cache after commit.

    Call inside the transaction.atomic() of the change. The key is deleted now so that nobody trusts the old copy
    while the transaction commits, and set after commit to the committed value.
    """
    updated = ConsentVersion.objects.filter(influencer_id=influencer_id).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        ConsentVersion.objects.create(influencer_id=influencer_id, version=1)
    key = _stamp_key(influencer_id)
    _delete_stamp(key)

    def publish() -> None:
        version = _db_version(influencer_id)
        client = _redis_client()
        if client is None:
            return
        try:
            client.set(key, version, ex=_STAMP_TTL_SECONDS)
        except Exception:
            # The key was deleted before commit, so readers use the database until it is set again.
            logger.warning("Publishing the consent version stamp failed", exc_info=True)

    transaction.on_commit(publish)


def _delete_stamp(key: str) -> None:
    client = _redis_client()
    if client is None:
        return
    try:
        client.delete(key)
    except Exception:
        logger.warning("Deleting the consent version stamp failed", exc_info=True)


def announce_revocation(event: Revocation) -> None:
    """After commit: publish on `veracast:consent:revoked`, then run the revocation hooks."""

    def announce() -> None:
        client = _redis_client()
        if client is not None:
            message = json.dumps(
                {
                    "grant": event.grant_public_id,
                    "influencer": event.influencer_public_id,
                    "influencer_id": event.influencer_id,
                    "reason": event.reason,
                }
            )
            try:
                client.publish(REVOKED_CHANNEL, message)
            except Exception:
                # The version stamp still makes every gate refuse; the message only makes it faster.
                logger.warning("Publishing the revocation of %s failed", event.grant_public_id, exc_info=True)
        run_revocation_hooks(event)

    transaction.on_commit(announce)
