"""A live stream's voice is checked against the engine's options (the same check as a render job's): an unknown
backend, an unknown preset, a rate or pitch outside the engine's ranges, a non-number, the influencer's own voice
without voice consent, and viewer thresholds out of order are each a 400 with a stable code and a sentence, through
the API and on the stream's page, and store nothing. A valid voice is stored, returned and ledgered."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import LedgerEvent
from render.engine.options import VOICE_PITCH_RANGE, VOICE_RATE_RANGE
from streaming.models import Stream
from tests.streaming.streams.helpers import KEY, approved_version, stream_avatar

pytestmark = pytest.mark.django_db


def body(avatar: Any, version: Any, **extra: Any) -> dict[str, Any]:
    now = timezone.now()
    return {
        "title": "Voiced show",
        "avatar": str(avatar.public_id),
        "playlist": [str(version.public_id)],
        "platform": "douyin",
        "rtmp_url": "rtmp://127.0.0.1/live",
        "stream_key": KEY,
        "starts_at": (now + timedelta(minutes=5)).isoformat(),
        "stops_at": (now + timedelta(hours=1)).isoformat(),
        **extra,
    }


BAD = [
    ({"tts_backend": "festival"}, None),  # the serializer's invalid_choice
    ({"tts_backend": "espeak", "voice": "jf_nezumi"}, "unknown_voice"),
    ({"tts_backend": "kokoro", "voice_rate": VOICE_RATE_RANGE[1] + 0.1}, "bad_voice_rate"),
    ({"tts_backend": "kokoro", "voice_pitch": VOICE_PITCH_RANGE[0] - 0.1}, "bad_voice_pitch"),
    ({"tts_backend": "clone"}, "clone_needs_voice_avatar"),
]


def test_bad_voices_are_refused_and_a_good_one_is_stored(personas: dict[str, Any]) -> None:
    avatar, version = stream_avatar(personas), approved_version(personas)
    client = APIClient()
    client.force_authenticate(personas["alice"])
    url = f"/api/v1/organisations/{personas['acme'].public_id}/streams/"
    for voice, code in BAD:
        answer = client.post(url, body(avatar, version, voice=voice), format="json")
        assert answer.status_code == 400, (voice, answer.content)
        data = answer.json()
        if code is not None:
            assert data["code"] == code, data
            assert data["message"].endswith("."), data  # a sentence
        else:
            assert "tts_backend" in str(data)
    not_a_number = client.post(url, body(avatar, version, voice={"voice_rate": "fast"}), format="json")
    assert not_a_number.status_code == 400
    assert "voice_rate" in not_a_number.content.decode()
    crossed = client.post(url, body(avatar, version, few_viewers_below=500, crowd_from=100), format="json")
    assert crossed.status_code == 400
    assert crossed.json()["code"] == "bad_strategy_tiers"
    assert not Stream.objects.exists()

    good = {"tts_backend": "espeak", "voice": "en-us", "voice_rate": 1.1, "voice_pitch": 0.95}
    created = client.post(url, body(avatar, version, voice=good, crowd_from=800), format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["voice"] == good
    assert data["crowd_from"] == 800
    stream = Stream.objects.get(public_id=data["id"])
    ledgered = LedgerEvent.objects.get(subject=stream.subject, kind="stream.created").payload_data
    assert ledgered["voice"] == good

    patched = client.patch(f"/api/v1/streams/{stream.public_id}/", {"voice": {"voice_pitch": 3}}, format="json")
    assert patched.status_code == 400
    assert patched.json()["code"] == "bad_voice_pitch"
    stream.refresh_from_db()
    assert stream.voice == good


def test_the_stream_page_form_says_why_a_voice_is_refused(personas: dict[str, Any]) -> None:
    from tests.streaming.streams.helpers import new_stream

    stream = new_stream(personas, stream_avatar(personas), approved_version(personas))
    client = Client()
    client.force_login(personas["alice"])
    page = client.get(f"/streams/{stream.public_id}/")
    assert page.status_code == 200
    assert b'data-testid="voice-form"' in page.content
    refused = client.post(
        f"/streams/{stream.public_id}/voice",
        {"tts_backend": "kokoro", "voice": "", "voice_rate": "9", "voice_pitch": "1"},
        follow=True,
    )
    assert "The speaking rate must be between" in refused.content.decode()
    stream.refresh_from_db()
    assert stream.voice == {}
    saved = client.post(
        f"/streams/{stream.public_id}/voice",
        {"tts_backend": "kokoro", "voice": "jm_kumo", "voice_rate": "0.9", "voice_pitch": "1.05", "crowd_from": "900"},
        follow=True,
    )
    assert saved.status_code == 200
    stream.refresh_from_db()
    assert stream.voice == {"tts_backend": "kokoro", "voice": "jm_kumo", "voice_rate": 0.9, "voice_pitch": 1.05}
    assert stream.crowd_from == 900
