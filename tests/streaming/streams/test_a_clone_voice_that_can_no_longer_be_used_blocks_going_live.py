"""A stream set up to speak in the influencer's cloned voice is checked again at go-live: when the platform's clone
server has been removed since, or the avatar carries no voice consent, the check refuses with `voice_unavailable`
in English and Chinese instead of letting the stream fail at its first line."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from streaming.streams import check_go_live, schedule_stream
from tests.streaming.streams.helpers import approved_version, new_stream, ready_operator, stream_avatar

pytestmark = pytest.mark.django_db

CLONE = {"tts_backend": "clone", "voice": "", "voice_rate": 1.0, "voice_pitch": 1.0}


def _codes(stream: Any, personas: dict[str, Any]) -> list[str]:
    return [refused.code for refused in check_go_live(stream=stream, operator=personas["bob"])]


def test_a_clone_voice_needs_the_server_and_the_voice_consent(personas: dict[str, Any]) -> None:
    avatar, version = stream_avatar(personas), approved_version(personas)
    stream = schedule_stream(stream=new_stream(personas, avatar, version), actor=personas["alice"])
    ready_operator(personas)
    assert _codes(stream, personas) == []

    stream.voice = CLONE  # chosen while the server was configured (clean_voice checked it then)
    with override_settings(VOICE_CLONE_URL=""):
        (refused,) = check_go_live(stream=stream, operator=personas["bob"])
    assert refused.code == "voice_unavailable"
    assert "choose another voice" in refused.en
    assert "换一个声音" in refused.zh

    with override_settings(VOICE_CLONE_URL="https://tts.example/v1"):
        stream.avatar.voice = False
        assert _codes(stream, personas) == ["voice_unavailable"]
        stream.avatar.voice = True  # a voice avatar: its voice consent is the gate's to check (no_consent_for_you)
        assert "voice_unavailable" not in _codes(stream, personas)
