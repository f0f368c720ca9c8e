"""The set-up wizard takes the host's voice and viewer thresholds with the rest: a refused voice comes back as the
wizard with the sentence and the choices kept (nothing stored); a valid one is stored on the new stream; a wizard
left at the platform's default voice stores no voice at all, so the stream follows the platform's default."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from streaming.models import Stream
from tests.streaming.streams.helpers import KEY, approved_version, stream_avatar

pytestmark = pytest.mark.django_db


def form(avatar: Any, version: Any, **extra: str) -> dict[str, Any]:
    start = timezone.localtime(timezone.now() + timedelta(hours=1))
    return {
        "title": "Voiced",
        "avatar": str(avatar.public_id),
        "playlist": [str(version.public_id)],
        "platform": "douyin",
        "rtmp_url": "rtmp://127.0.0.1/live",
        "stream_key": KEY,
        "registration_id": "DY-VA-0001",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "stops_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "time_zone": "Asia/Shanghai",
        **extra,
    }


def test_the_wizard_sets_the_voice(client: Client, personas: dict[str, Any]) -> None:
    avatar, version = stream_avatar(personas), approved_version(personas)
    client.force_login(personas["alice"])
    url = f"/streams/brands/{personas['acme'].public_id}/new/"
    assert b'data-testid="wizard-voice"' in client.get(url).content

    refused = client.post(url, form(avatar, version, tts_backend="espeak", voice="jm_kumo", voice_rate="1"))
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "The voice preset must be one of" in html
    assert not Stream.objects.exists()

    created = client.post(
        url,
        form(
            avatar, version, tts_backend="kokoro", voice="jf_alpha", voice_rate="1.1", voice_pitch="1", crowd_from="300"
        ),
    )
    assert created.status_code == 302, created.content.decode()[-2000:]
    stream = Stream.objects.get()
    assert stream.voice == {"tts_backend": "kokoro", "voice": "jf_alpha", "voice_rate": 1.1, "voice_pitch": 1.0}
    assert stream.crowd_from == 300

    Stream.objects.all().delete()
    default = client.post(url, form(avatar, version, tts_backend="", voice="", voice_rate="1.0", voice_pitch="1.0"))
    assert default.status_code == 302
    assert Stream.objects.get().voice == {}
