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
    assert pubsub.get_message(timeout=0.2) is None
    for callback in callbacks:
        callback()

    deadline = time.monotonic() + 2
    message = None
    while message is None and time.monotonic() < deadline:
        message = pubsub.get_message(timeout=0.5)
    pubsub.close()
    assert message is not None
    body = json.loads(message["data"])
    assert body["grant"] == str(grant.public_id)
    assert body["influencer"] == str(personas["iris"].influencer.public_id)
    assert body["reason"] == "revoked"
