"""The clone backend speaks through the protocol server in the influencer's voice; speech that is another voice or
silence never comes back to the stream (a stable code, ledgered), and the reference went out once, ledgered."""

from __future__ import annotations

import json
from typing import Any

import pytest

from render.engine.speech import synthesize
from render.engine.speech.clone_backend import CloneServerError, loud_span
from render.models import CloneVoice
from render.voice_clone import CloneVoiceRejected, clone_backend_for
from tests.render.voice_clone.helpers import LINE, kinds, reference_wav, voice_avatar

pytestmark = pytest.mark.django_db(transaction=True)


def _backend(avatar: Any) -> Any:
    return clone_backend_for(avatar=avatar, purpose="livestream_ecommerce", platform="douyin", name="clone:test")


def test_the_influencers_cloned_voice_is_spoken_with_timings(personas: dict[str, Any], clone_server: Any) -> None:
    avatar = voice_avatar(personas)
    _backend(avatar)
    speech = synthesize(LINE, language="en", backend="clone:test", voice_consent_granted=True)

    assert speech.duration_s > 2.0
    spoken = [unit for unit in speech.phonemes if unit.symbol != "sil"]
    assert len(spoken) > 20  # the timing guide's phonemes, placed on the cloned audio
    # ... from the first to the last loud 20 ms frame of what the server said (the server gives no timings).
    start, end = loud_span(speech.pcm, speech.sample_rate)  # type: ignore[misc]
    assert abs(spoken[0].start_s - start / speech.sample_rate) < 0.03
    assert abs(spoken[-1].end_s - end / speech.sample_rate) < 0.03
    speech_requests = [r for r in clone_server.state.requests if r.path == "/v1/audio/speech"]
    body = json.loads(speech_requests[0].body)
    assert body == {"model": "cosyvoice-test", "input": LINE, "voice": "voice-1", "response_format": "wav"}
    assert speech_requests[0].headers["Authorization"] == "Bearer test-key"
    # The reference is the consented sample's sound track, sent once (16 kHz WAV), and ledgered with its hash.
    uploads = [r for r in clone_server.state.requests if r.path == "/v1/voices"]
    assert len(uploads) == 1
    assert b"RIFF" in uploads[0].body
    voice = CloneVoice.objects.get(avatar=avatar)
    assert voice.server_voice_id == "voice-1"
    assert voice.status == CloneVoice.Status.ACTIVE
    assert kinds(avatar) == ["voice_clone.reference_sent", "voice_clone.verified"]
    assert len(reference_wav()) > 0


def test_another_voice_is_refused_and_never_returned(personas: dict[str, Any], clone_server: Any) -> None:
    clone_server.state.speaker = "en-us+f3"  # the server speaks, but not in her voice
    avatar = voice_avatar(personas)
    _backend(avatar)
    with pytest.raises(CloneVoiceRejected) as refused:
        synthesize(LINE, language="en", backend="clone:test", voice_consent_granted=True)
    assert refused.value.code == "clone_voice_mismatch"
    assert kinds(avatar) == ["voice_clone.reference_sent", "voice_clone.verification_failed"]


def test_silence_from_the_server_is_a_clear_error(personas: dict[str, Any], clone_server: Any) -> None:
    clone_server.state.mode = "silence"
    avatar = voice_avatar(personas)
    _backend(avatar)
    with pytest.raises(CloneServerError) as failed:
        synthesize(LINE, language="en", backend="clone:test", voice_consent_granted=True)
    assert failed.value.code == "clone_silent_audio"
    assert "voice_clone.verified" not in kinds(avatar)
