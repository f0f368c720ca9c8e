"""Helpers of the stream tests: a ready avatar without a build, an approved version, a valid stream, a go-live."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

KEY = "live_123456?secret=abcdWXYZ"


def stream_avatar(personas: dict[str, Any], **grant_kwargs: Any) -> Any:
    """An Acme avatar of iris through create_avatar (the gate), marked ready (the build is render's own test)."""
    from django.db import transaction

    from render.models import Avatar
    from render.services import create_avatar
    from tests.render.helpers import grant_for, store_sample

    grant = grant_for(personas, **grant_kwargs)
    iris = personas["iris"].influencer
    store_sample(iris)
    with transaction.atomic():
        avatar = create_avatar(
            influencer=iris,
            brand=personas["acme"],
            actor=personas["alice"],
            purpose="livestream_ecommerce",
            platform="douyin",
        )
        Avatar.objects.filter(pk=avatar.pk).update(status=Avatar.Status.READY, progress=1.0)
    avatar.refresh_from_db()
    avatar.grant_used = grant
    return avatar


def approved_version(personas: dict[str, Any]) -> Any:
    from streaming.scripts import latest_version
    from streaming.services import create_script
    from tests.streaming.scripts_factory import approve

    script = create_script(
        organisation=personas["acme"],
        actor=personas["alice"],
        title="Welcome",
        language="en",
        lines=[{"id": "g", "text": "Hello everyone, welcome!", "language": "en", "intent": "greet"}],
    )
    version = latest_version(script)
    approve(version, personas["alice"])
    return version


def new_stream(personas: dict[str, Any], avatar: Any, version: Any, **overrides: Any) -> Any:
    from streaming.streams import create_stream

    now = timezone.now()
    values: dict[str, Any] = {
        "organisation": personas["acme"],
        "actor": personas["alice"],
        "title": "Evening live",
        "avatar": avatar,
        "version_ids": [str(version.public_id)],
        "platform": "douyin",
        "rtmp_url": "rtmp://127.0.0.1:1935/live",
        "stream_key": KEY,
        "starts_at": now + timedelta(minutes=1),
        "stops_at": now + timedelta(hours=2),
        "time_zone": "Asia/Shanghai",
        "registration_id": "DY-VA-0001",
        "operator_ids": [str(personas["bob"].public_id)],
    }
    values.update(overrides)
    return create_stream(**values)


def ready_operator(personas: dict[str, Any]) -> Any:
    """bob, real-name verified with a software passkey; returns his authenticator."""
    from tests.streaming.scripts_factory import verified_reviewer

    return verified_reviewer(personas["bob"])


def go_live_now(stream: Any, operator: Any, authenticator: Any) -> Any:
    from consent.scope import challenge_for
    from streaming.streams import begin_go_live, go_live
    from tests.consent.helpers import RP

    begun = begin_go_live(stream=stream, operator=operator, rp=RP)
    assertion = authenticator.get_assertion(challenge_for(begun["document"]))
    return go_live(stream=stream, operator=operator, credential=assertion, rp=RP)


def api_body(avatar: Any, version: Any, **overrides: Any) -> dict[str, Any]:
    """A valid body for the stream API (POST /api/v1/organisations/<brand>/streams/), starting in 5 minutes."""
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    return {
        "title": "Night show",
        "avatar": str(avatar.public_id),
        "playlist": [str(version.public_id)],
        "platform": "douyin",
        "rtmp_url": "rtmp://127.0.0.1/live",
        "stream_key": KEY,
        "registration_id": "DY-1",
        "starts_at": (now + timedelta(minutes=5)).isoformat(),
        "stops_at": (now + timedelta(hours=1)).isoformat(),
        **overrides,
    }
