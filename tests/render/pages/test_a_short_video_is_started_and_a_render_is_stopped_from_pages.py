"""From the avatar's pages, a writer starts a short video with its options (the consent must cover short videos, or
the refusal is a sentence in the reader's language) and stops a queued render; viewers see the pages but cannot
start or stop; the job page carries what its script needs to follow the progress live."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from render.models import RenderJob, ShortVideo
from render.services import submit_render_job
from tests.render.helpers import SHORT_LINES, ready_avatar
from tests.streaming.scripts_factory import approved_script

pytestmark = [pytest.mark.django_db]


def _client(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_a_short_video_with_its_options(personas: dict[str, Any]) -> None:
    avatar = ready_avatar(personas, purposes=("livestream_ecommerce", "short_video"))
    script = approved_script(personas, SHORT_LINES)
    url = f"/render/avatars/{avatar.public_id}/short-video/"
    form = _client(personas["bob"]).get(url).content.decode()
    assert script.version_id in form
    response = _client(personas["bob"]).post(
        url,
        {"script_version": script.version_id, "orientation": "landscape", "resolution": "720p", "platform": "douyin"},
    )
    video = ShortVideo.objects.get()
    assert response["Location"] == f"/render/short-videos/{video.public_id}/"
    assert (video.settings["width"], video.settings["height"]) == (1280, 720)
    assert _client(personas["victor"]).get(url).status_code == 404


def test_a_consent_without_short_videos_is_a_sentence(personas: dict[str, Any]) -> None:
    avatar = ready_avatar(personas)
    script = approved_script(personas, SHORT_LINES)
    response = _client(personas["bob"], "zh-CN").post(
        f"/render/avatars/{avatar.public_id}/short-video/", {"script_version": script.version_id}
    )
    assert "该达人未就此用途向您授权。" in response.content.decode()
    assert not ShortVideo.objects.exists()


def test_a_queued_render_is_stopped(personas: dict[str, Any]) -> None:
    avatar = ready_avatar(personas)
    job = submit_render_job(
        avatar=avatar,
        actor=personas["bob"],
        purpose="livestream_ecommerce",
        platform="douyin",
        script=approved_script(personas, SHORT_LINES),
    )
    page = _client(personas["bob"]).get(f"/render/jobs/{job.public_id}/").content.decode()
    assert f'data-job="/api/v1/render-jobs/{job.public_id}/"' in page
    assert 'data-active="1"' in page
    assert 'data-testid="stop-job"' in page
    assert (
        'data-testid="stop-job"'
        not in _client(personas["victor"]).get(f"/render/jobs/{job.public_id}/").content.decode()
    )
    _client(personas["victor"]).post(f"/render/jobs/{job.public_id}/stop/")
    assert RenderJob.objects.get().status == RenderJob.Status.QUEUED

    stopped = _client(personas["bob"], "zh-CN").post(f"/render/jobs/{job.public_id}/stop/", follow=True)
    assert "渲染已停止。" in stopped.content.decode()
    assert RenderJob.objects.get().status == RenderJob.Status.CANCELLED
    again = _client(personas["bob"], "zh-CN").post(f"/render/jobs/{job.public_id}/stop/", follow=True)
    assert "此渲染已经结束。" in again.content.decode()
    assert "已被人工停止。" in again.content.decode()
