"""From the review page of an approved version, alice renders a short video with one of Acme's avatars: the video is
queued with that version's hash and the page leads to the short video's progress page. An avatar whose consent does
not cover short videos is refused with the gate's sentence, and nothing is queued."""

from __future__ import annotations

from typing import Any

from django.test import Client

from render.models import ShortVideo
from tests.render.conftest import render_environment  # noqa: F401  (keys, vault and gate cache of the render tests)
from tests.render.helpers import ready_avatar
from tests.render.short_video.helpers import short_video_avatar
from tests.streaming.scripts_factory import approve
from tests.streaming.scripts_pages.helpers import acme_script


def _approved(personas: dict[str, Any]) -> Any:
    script = acme_script(personas, "这款口红颜色很正。")
    approve(script.versions.get(), personas["alice"])
    return script


def test_an_approved_version_is_queued_as_a_short_video(personas: dict[str, Any]) -> None:
    avatar = short_video_avatar(personas)
    script = _approved(personas)
    version = script.versions.get()
    alice = Client()
    alice.force_login(personas["alice"])
    review = f"/scripts/{script.public_id}/versions/1/review"
    assert str(avatar.public_id) in alice.get(review).content.decode()

    response = alice.post(
        f"/scripts/{script.public_id}/versions/1/short-video",
        {"avatar": str(avatar.public_id), "orientation": "portrait"},
    )

    video = ShortVideo.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/render/short-videos/{video.public_id}/"
    assert video.script["script_version_sha256"] == version.sha256
    assert video.settings["width"] == 720
    assert video.settings["height"] == 1280


def test_an_avatar_without_short_video_consent_is_refused_with_a_sentence(personas: dict[str, Any]) -> None:
    avatar = ready_avatar(personas)  # livestreams only
    script = _approved(personas)
    alice = Client()
    alice.force_login(personas["alice"])

    response = alice.post(
        f"/scripts/{script.public_id}/versions/1/short-video",
        {"avatar": str(avatar.public_id), "orientation": "landscape"},
        follow=True,
    )

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert messages
    assert "consent" in messages[0].lower()
    assert not ShortVideo.objects.exists()
