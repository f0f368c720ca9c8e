"""A voice avatar of iris whose consented sample is a recording of espeak-ng's en-us voice (the clone test server
speaks in that voice too: "her" voice)."""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

from consent.biometrics.synthetic import speak
from tests.render.helpers import grant_for
from tests.render.voice_clone.clone_server import wav_bytes

WITH_VOICE = ("face_likeness", "body_movement", "voice")
LINE = "Welcome to the live room, today every jacket is twenty percent off."


@lru_cache(maxsize=1)
def reference_wav() -> bytes:
    pcm, rate = speak("Hello, I am Iris. I agree that this brand may use my voice for live selling on Douyin.")
    return wav_bytes(pcm, rate)


def voice_avatar(personas: dict[str, Any], *, modalities: tuple[str, ...] = WITH_VOICE, **grant_kwargs: Any) -> Any:
    """A ready avatar made with voice (as create_avatar makes it for voice=True), its sample the reference above."""
    from django.db import transaction

    from consent import vault
    from consent.models import VaultObject
    from render.models import Avatar

    grant = grant_for(personas, modalities=modalities, **grant_kwargs)
    iris = personas["iris"].influencer
    with vault.discard_on_failure(), transaction.atomic():
        sample = vault.store_object(
            influencer=iris,
            kind=VaultObject.Kind.SAMPLE,
            source=io.BytesIO(reference_wav()),
            content_type="audio/wav",
            media_info={"synthetic": True},
        )
        avatar = Avatar.objects.create(
            influencer=iris,
            brand=personas["acme"],
            grant=grant,
            purpose="livestream_ecommerce",
            platform="douyin",
            voice=True,
            sample=sample,
            status=Avatar.Status.READY,
        )
    avatar.grant_used = grant
    return avatar


def kinds(avatar: Any) -> list[str]:
    from audit.models import LedgerEvent

    return list(LedgerEvent.objects.filter(subject=avatar.subject).order_by("pk").values_list("kind", flat=True))
