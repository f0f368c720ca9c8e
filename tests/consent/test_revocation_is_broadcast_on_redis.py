from __future__ import annotations

import json
import time
from typing import Any

import pytest
import redis
from django.conf import settings

from consent.broadcast import REVOKED_CHANNEL
from tests.consent.helpers import active_grant, revoke_with_passkey

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


def test_a_revocation_is_published_after_commit_with_the_grant_and_influencer(
    personas: dict[str, Any], template: Any, passkey: Any, django_capture_on_commit_callbacks: Any
) -> None:
    grant = active_grant(personas, template, passkey)
    pubsub = redis.Redis.from_url(settings.REDIS_URL).pubsub()
    pubsub.subscribe(REVOKED_CHANNEL)
    assert pubsub.get_message(timeout=2)["type"] == "subscribe"

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        revoke_with_passkey(grant, passkey, personas["iris"])
    # Nothing is published before the transaction commits.
    assert about(pubsub, grant, seconds=0.2) is None
    for callback in callbacks:
        callback()

    message = about(pubsub, grant, seconds=2)
    pubsub.close()
    assert message is not None
    body = json.loads(message["data"])
    assert body["grant"] == str(grant.public_id)
    assert body["influencer"] == str(personas["iris"].influencer.public_id)
    assert body["reason"] == "revoked"


def about(pubsub: Any, grant: Any, *, seconds: float) -> dict[str, Any] | None:
    """The first message on the channel about `grant` within `seconds`: Redis channels are server-wide, so the
    suite's other processes (pytest-xdist) may publish their own revocations on it meanwhile."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        message = pubsub.get_message(timeout=max(0.0, min(0.1, deadline - time.monotonic())))
        if message is not None and json.loads(message["data"]).get("grant") == str(grant.public_id):
            return dict(message)
    return None
