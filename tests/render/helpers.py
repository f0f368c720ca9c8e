"""Helpers of the render tests: a small synthetic talking sample (encoded once per process), stored encrypted in the
vault; consent grants made with the real consent services (tests.consent.helpers)."""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

FPS = 25
QUIET = (0.0, 2.2)
WAVE = (2.8, 3.6)


@lru_cache(maxsize=2)
def sample_video(seconds: float = 4.0, codec: str = "h264") -> bytes:
    """An MP4 of the public-domain astronaut portrait 'talking' (640x360, 25 fps), with a quiet stretch and a wave."""
    import av

    from render.engine.avatar.sample import TalkingPortrait

    clip = TalkingPortrait(seconds=seconds, fps=FPS, size=(640, 360), closed=(QUIET,), gestures=(WAVE,))
    out = io.BytesIO()
    with av.open(out, "w", format="matroska" if codec != "h264" else "mp4") as container:
        stream = container.add_stream(codec, rate=FPS)
        stream.width, stream.height = 640, 360
        stream.pix_fmt = "yuv420p" if codec == "h264" else stream.pix_fmt
        if codec == "h264":
            stream.options = {"crf": "18", "preset": "veryfast"}
        for i in range(len(clip)):
            frame = av.VideoFrame.from_ndarray(clip[i], format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()


def store_sample(influencer: Any, data: bytes | None = None) -> Any:
    """Put a sample into the influencer's vault the way consent's upload does (encrypted, with its ledger event)."""
    from django.db import transaction

    from consent import vault
    from consent.models import VaultObject

    with vault.discard_on_failure(), transaction.atomic():
        return vault.store_object(
            influencer=influencer,
            kind=VaultObject.Kind.SAMPLE,
            source=io.BytesIO(sample_video() if data is None else data),
            content_type="video/mp4",
            media_info={"synthetic": True},
        )


def grant_for(personas: dict[str, Any], **kwargs: Any) -> Any:
    """An active grant of iris naming Acme (face likeness and body movement, Douyin and Taobao, livestream)."""
    from tests.consent.helpers import active_grant, published_template, register_passkey

    template = published_template(personas["sam"])
    authenticator = register_passkey(personas["iris"])
    grant = active_grant(personas, template, authenticator, **kwargs)
    grant.authenticator = authenticator  # what revoke_with_passkey needs
    return grant


LINES = [
    {"id": "l1", "text": "大家好，欢迎来到直播间", "language": "zh", "intent": "greet"},
    {"id": "l2", "text": "Tap follow for more.", "language": "en", "intent": "follow"},
]


@lru_cache(maxsize=1)
def built_assets() -> bytes:
    """The avatar assets of `sample_video()`, built once per process by the same code path as the build task."""
    from render.engine.avatar import GestureMark, build_avatar
    from render.engine.sample_decoder import DecodedSample

    frames = DecodedSample(io.BytesIO(sample_video()))
    try:
        return build_avatar(frames, frames.fps, [GestureMark("greet", *WAVE)]).to_bytes()
    finally:
        frames.close()


def ready_avatar(personas: dict[str, Any], *, brand: Any = None, **grant_kwargs: Any) -> Any:
    """An Acme avatar of iris made by create_avatar (through the gate), with assets from `built_assets()` stored in
    the vault as the build task stores them (the build itself is tested in test_an_avatar_is_built_...)."""
    from django.db import transaction
    from django.utils import timezone

    from consent import vault
    from render.models import Avatar
    from render.services import ASSETS_KIND, create_avatar

    grant = grant_for(personas, **grant_kwargs)
    iris = personas["iris"].influencer
    store_sample(iris)
    # One transaction: when the build task's on_commit dispatch runs (eagerly, or in a worker), the avatar is ready
    # already and the task leaves it alone.
    with vault.discard_on_failure(), transaction.atomic():
        avatar = create_avatar(
            influencer=iris,
            brand=brand or personas["acme"],
            actor=personas["bob"],
            purpose="livestream_ecommerce",
            platform="douyin",
        )
        avatar.assets = vault.store_object(influencer=iris, kind=ASSETS_KIND, source=io.BytesIO(built_assets()))
        avatar.status = Avatar.Status.READY
        avatar.progress = 1.0
        avatar.sample_duration_s = 4.0
        avatar.built_at = timezone.now()
        avatar.save()
    avatar.grant_used = grant
    return avatar


SHORT_LINES = [{"id": "hello", "text": "Hello everyone, welcome!", "language": "en", "intent": "greet"}]
