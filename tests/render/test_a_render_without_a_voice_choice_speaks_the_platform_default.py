"""A render job, a short video or a live stream whose brand chose no voice speaks the platform's default: the neural
voice (Kokoro) in production, stored on the job when it is made so a take-over or a later change of the setting never
changes a voice mid-stream; espeak-ng where Kokoro's packages are missing (logged), and for jobs stored before jobs
recorded their backend. The pages say which voice "the platform's default" is."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from config.settings import base
from render.models import RenderJob
from render.runtime import renderer_for
from render.voices import stream_voice_settings
from tests.render.helpers import SHORT_LINES, ready_avatar
from tests.streaming.scripts_factory import approved_script

pytestmark = pytest.mark.django_db


def _post_job(personas: dict[str, Any], avatar: Any) -> Any:
    client = APIClient()
    client.force_authenticate(personas["bob"])
    version = approved_script(personas, SHORT_LINES).version_id
    body = {"avatar": str(avatar.public_id), "purpose": "livestream_ecommerce", "platform": "douyin"}
    return client.post("/api/v1/render-jobs/", {**body, "script_version": version}, format="json")


def test_production_s_default_is_the_neural_voice() -> None:
    # The suite itself runs espeak-ng by default (config/settings/test.py); production's module keeps Kokoro.
    assert base.TTS_DEFAULT_BACKEND == "kokoro"


@override_settings(TTS_DEFAULT_BACKEND=base.TTS_DEFAULT_BACKEND)
def test_a_job_without_a_voice_choice_stores_and_speaks_the_neural_voice(personas: dict[str, Any]) -> None:
    avatar = ready_avatar(personas)
    assert _post_job(personas, avatar).status_code == 202
    job = RenderJob.objects.get()
    assert job.settings["tts_backend"] == "kokoro"
    assert renderer_for(job).config.tts_backend == "kokoro"
    # The setting changing later (a deploy) does not change what the stored job speaks.
    with override_settings(TTS_DEFAULT_BACKEND="espeak"):
        assert renderer_for(job).config.tts_backend == "kokoro"


@override_settings(TTS_DEFAULT_BACKEND=base.TTS_DEFAULT_BACKEND)
def test_a_live_stream_without_a_voice_choice_stores_the_default_on_its_job(personas: dict[str, Any]) -> None:
    from streaming.runner.playlist import next_line
    from streaming.runner.publishing import live_job_for
    from streaming.streams import schedule_stream
    from tests.streaming.streams.helpers import (
        approved_version,
        go_live_now,
        new_stream,
        ready_operator,
        stream_avatar,
    )

    avatar = stream_avatar(personas)
    stream = new_stream(personas, avatar, approved_version(personas))
    assert stream.voice in ({}, None)
    stream = schedule_stream(stream=stream, actor=personas["alice"])
    live = go_live_now(stream, personas["bob"], ready_operator(personas))
    job = live_job_for(live, next_line(live, {}))
    assert job.settings["tts_backend"] == "kokoro"
    with override_settings(TTS_DEFAULT_BACKEND="espeak"):  # a take-over after a deploy: the same job, same voice
        assert live_job_for(live, next_line(live, {})).settings["tts_backend"] == "kokoro"


@override_settings(TTS_DEFAULT_BACKEND=base.TTS_DEFAULT_BACKEND)
def test_without_kokoro_s_packages_the_default_is_espeak_and_the_log_says_so(
    personas: dict[str, Any], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from render.engine.speech import kokoro_backend

    monkeypatch.setattr(kokoro_backend, "installed", lambda: False)
    avatar = ready_avatar(personas)
    with caplog.at_level(logging.WARNING, logger="render.voices"):
        assert _post_job(personas, avatar).status_code == 202
    assert RenderJob.objects.get().settings["tts_backend"] == "espeak"
    assert "not installed" in caplog.text


def test_a_job_stored_before_jobs_recorded_a_backend_keeps_speaking_espeak(personas: dict[str, Any]) -> None:
    avatar = ready_avatar(personas)
    with override_settings(TTS_DEFAULT_BACKEND="kokoro"):
        kwargs = stream_voice_settings(
            {"voice_rate": 1.0}, avatar=avatar, purpose="livestream_ecommerce", platform="douyin", render_id="r1"
        )
    assert kwargs["tts_backend"] == "espeak"


@pytest.mark.parametrize(
    ("language", "words"), [("en-GB", "Neural voice (Kokoro)"), ("zh-CN", "神经网络语音（Kokoro）")]
)
@override_settings(TTS_DEFAULT_BACKEND=base.TTS_DEFAULT_BACKEND)
def test_the_stream_form_names_the_platform_s_default_voice(
    personas: dict[str, Any], language: str, words: str
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(personas["alice"])
    page = client.get(reverse("streams:new", args=[personas["acme"].public_id]))
    assert page.status_code == 200
    default_option = page.content.decode().split('name="tts_backend"', 1)[1].split("</option>", 1)[0]
    assert words in default_option
