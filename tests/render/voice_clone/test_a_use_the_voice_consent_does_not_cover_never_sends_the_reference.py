"""The reference audio leaves the vault only for a use the consent covers for the voice modality: a grant without
voice, or another platform or purpose, is refused by the gate before any byte goes to the clone server."""

from __future__ import annotations

from typing import Any

import pytest

from render.errors import ConsentRefused
from render.models import CloneVoice
from render.voice_clone import clone_backend_for
from tests.render.voice_clone.helpers import kinds, voice_avatar

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_grant_without_the_voice_modality_sends_nothing(personas: dict[str, Any], clone_server: Any) -> None:
    avatar = voice_avatar(personas, modalities=("face_likeness", "body_movement"))
    with pytest.raises(ConsentRefused):
        clone_backend_for(avatar=avatar, purpose="livestream_ecommerce", platform="douyin", name="clone:test")
    assert clone_server.state.requests == []
    assert not CloneVoice.objects.exists()
    assert "voice_clone.reference_sent" not in kinds(avatar)


def test_a_platform_the_consent_does_not_name_sends_nothing(personas: dict[str, Any], clone_server: Any) -> None:
    avatar = voice_avatar(personas)  # voice consented for douyin and taobao
    with pytest.raises(ConsentRefused):
        clone_backend_for(avatar=avatar, purpose="livestream_ecommerce", platform="kuaishou", name="clone:test")
    assert clone_server.state.requests == []
    assert not CloneVoice.objects.exists()
