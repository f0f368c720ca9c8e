"""Revocation deletes the influencer's voice on the clone server (DELETE) and ledgers it; a server that offers no
deletion is ledgered as a failure; after the revocation the backend sends no further line (the gate, per utterance)."""

from __future__ import annotations

from typing import Any

import pytest

from render.engine.speech import synthesize
from render.engine.speech.types import VoiceConsentRequired
from render.models import CloneVoice
from render.voice_clone import clone_backend_for
from tests.consent.helpers import revoke_with_passkey
from tests.render.voice_clone.helpers import kinds, voice_avatar

pytestmark = pytest.mark.django_db(transaction=True)


def _voice(personas: dict[str, Any]) -> Any:
    avatar = voice_avatar(personas)
    clone_backend_for(avatar=avatar, purpose="livestream_ecommerce", platform="douyin", name="clone:test")
    return avatar


def test_revocation_deletes_the_voice_and_the_next_line_is_never_sent(
    personas: dict[str, Any], clone_server: Any
) -> None:
    avatar = _voice(personas)
    assert list(clone_server.state.voices) == ["voice-1"]

    revoke_with_passkey(avatar.grant_used, avatar.grant_used.authenticator, personas["iris"])

    assert clone_server.state.voices == {}
    assert [(r.method, r.path) for r in clone_server.state.requests if r.method == "DELETE"] == [
        ("DELETE", "/v1/voices/voice-1")
    ]
    voice = CloneVoice.objects.get(avatar=avatar)
    assert voice.status == CloneVoice.Status.DELETED
    assert voice.deleted_at is not None
    assert kinds(avatar)[-1] == "voice_clone.voice_deleted"
    seen = len(clone_server.state.requests)
    with pytest.raises(VoiceConsentRequired):
        synthesize(
            "One more line after the revocation.", language="en", backend="clone:test", voice_consent_granted=True
        )
    assert len(clone_server.state.requests) == seen


def test_a_server_without_deletion_is_ledgered_as_a_failure(personas: dict[str, Any], clone_server: Any) -> None:
    avatar = _voice(personas)
    clone_server.state.mode = "no_delete"

    revoke_with_passkey(avatar.grant_used, avatar.grant_used.authenticator, personas["iris"])

    voice = CloneVoice.objects.get(avatar=avatar)
    assert voice.status == CloneVoice.Status.DELETE_FAILED
    assert voice.error == "clone_delete_unsupported"
    assert kinds(avatar)[-1] == "voice_clone.voice_delete_failed"
