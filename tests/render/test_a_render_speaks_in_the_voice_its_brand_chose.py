"""A render job and a short video carry their voice (backend, preset, rate, pitch) from the API and the page into
the engine's StreamConfig; a voice the platform does not offer is a 400 with a reason, and nothing is queued."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from render.models import RenderJob, ShortVideo
from render.runtime import renderer_for
from tests.render.helpers import SHORT_LINES, ready_avatar
from tests.streaming.scripts_factory import approved_script

pytestmark = pytest.mark.django_db

VOICE = {"tts_backend": "kokoro", "voice": "jm_kumo", "voice_rate": 1.1, "voice_pitch": 0.95}


def _post(personas: dict[str, Any], avatar: Any, **extra: Any) -> Any:
    client = APIClient()
    client.force_authenticate(personas["bob"])
    version = approved_script(personas, SHORT_LINES).version_id
    body = {"avatar": str(avatar.public_id), "purpose": "livestream_ecommerce", "platform": "douyin"}
    return client.post("/api/v1/render-jobs/", {**body, "script_version": version, **extra}, format="json")


def test_the_chosen_voice_reaches_the_engine(personas: dict[str, Any]) -> None:
    avatar = ready_avatar(personas)
    response = _post(personas, avatar, **VOICE)
    assert response.status_code == 202, response.content
    job = RenderJob.objects.get()
    assert {k: job.settings[k] for k in VOICE} == VOICE
    config = renderer_for(job).config
    assert (config.tts_backend, config.voice, config.voice_rate, config.voice_pitch) == ("kokoro", "jm_kumo", 1.1, 0.95)


def test_a_job_without_a_voice_speaks_the_default(personas: dict[str, Any]) -> None:
    avatar = ready_avatar(personas)
    assert _post(personas, avatar).status_code == 202
    job = RenderJob.objects.get()
    assert job.settings["tts_backend"] == "espeak"
    assert job.settings["voice"] is None
    assert renderer_for(job).config.tts_backend == "espeak"


@pytest.mark.parametrize(
    ("voice", "code", "words"),
    [
        ({"tts_backend": "espeak", "voice": "jf_nezumi"}, "unknown_voice", "preset"),
        ({"voice_rate": 3}, "bad_voice_rate", "rate"),
        ({"voice_pitch": 0.5}, "bad_voice_pitch", "pitch"),
        ({"tts_backend": "clone"}, "clone_needs_voice_avatar", "voice consent"),
        ({"tts_backend": "festival"}, "invalid_choice", "festival"),
    ],
)
def test_a_voice_the_platform_does_not_offer_is_refused_with_a_reason(
    personas: dict[str, Any], voice: dict[str, Any], code: str, words: str
) -> None:
    avatar = ready_avatar(personas)
    response = _post(personas, avatar, **voice)
    assert response.status_code == 400, response.content
    assert code in response.content.decode()
    assert words in response.content.decode()
    assert not RenderJob.objects.exists()


def test_the_short_video_form_sends_the_voice(personas: dict[str, Any], client: Any) -> None:
    from streaming.models import Script

    avatar = ready_avatar(personas, purposes=("livestream_ecommerce", "short_video"))
    approved = approved_script(personas, SHORT_LINES)
    script = Script.objects.get(public_id=approved.script_id)
    url = reverse("scripts:short-video", args=[script.public_id, approved.version_number])
    client.force_login(personas["alice"])  # the brand's owner: she may render its scripts
    form = {"avatar": str(avatar.public_id), "orientation": "portrait", **VOICE, "voice_rate": "1.1"}

    refused = client.post(url, {**form, "voice_pitch": "high"}, follow=True)
    assert "The pitch must be a number." in refused.content.decode()
    assert not ShortVideo.objects.exists()

    client.post(url, form)
    video = ShortVideo.objects.get()
    assert {k: video.settings[k] for k in VOICE} == VOICE
