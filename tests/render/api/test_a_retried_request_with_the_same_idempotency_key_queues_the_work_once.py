"""API clients send `Idempotency-Key` (a UUID) with the requests that queue work: a retried avatar build, render or
short video returns the first request's object (202, same id) and queues nothing more; a key that is not a UUID is
400 `invalid_request_key`, and a key already used for other work is 409 `request_key_used`."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from rest_framework.test import APIClient

from render.models import Avatar, RenderJob, ShortVideo
from render.services import create_avatar
from render.tasks import build_avatar_task, render_job_task, short_video_task
from tests.render.helpers import SHORT_LINES, grant_for, ready_avatar, store_sample
from tests.streaming.scripts_factory import approved_script

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    queued: list[int] = []
    for task in (build_avatar_task, render_job_task, short_video_task):
        monkeypatch.setattr(task, "delay_on_commit", lambda pk, *args, **kwargs: queued.append(pk))
    return queued


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_retried_avatar_build_is_one_build(personas: dict[str, Any], queued: list[int]) -> None:
    grant_for(personas)
    store_sample(personas["iris"].influencer)
    body = {
        "brand": str(personas["acme"].public_id),
        "influencer": str(personas["iris"].influencer.public_id),
        "purpose": "livestream_ecommerce",
        "platform": "douyin",
    }
    key = str(uuid.uuid4())
    first = _api(personas["bob"]).post("/api/v1/avatars/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    again = _api(personas["bob"]).post("/api/v1/avatars/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert first.status_code == again.status_code == 202, first.content
    assert first.json()["id"] == again.json()["id"] == str(Avatar.objects.get().public_id)
    assert len(queued) == 1


def test_a_retried_render_and_short_video_are_queued_once(personas: dict[str, Any], queued: list[int]) -> None:
    avatar = ready_avatar(personas, purposes=("livestream_ecommerce", "short_video"))
    script = approved_script(personas, SHORT_LINES)
    queued.clear()  # the avatar's own build
    api = _api(personas["bob"])
    render_key, video_key = str(uuid.uuid4()), str(uuid.uuid4())
    job_body = {
        "avatar": str(avatar.public_id),
        "script_version": script.version_id,
        "purpose": "livestream_ecommerce",
        "platform": "douyin",
    }
    video_body = {"avatar": str(avatar.public_id), "script_version": script.version_id}

    jobs = [api.post("/api/v1/render-jobs/", job_body, format="json", HTTP_IDEMPOTENCY_KEY=render_key) for _ in "ab"]
    videos = [
        api.post("/api/v1/short-videos/", video_body, format="json", HTTP_IDEMPOTENCY_KEY=video_key) for _ in "ab"
    ]

    assert [r.status_code for r in jobs + videos] == [202] * 4, jobs[0].content
    assert jobs[0].json()["id"] == jobs[1].json()["id"]
    assert videos[0].json()["id"] == videos[1].json()["id"]
    assert (RenderJob.objects.count(), ShortVideo.objects.count(), len(queued)) == (1, 1, 2)

    # The render's key sent for another avatar's render is other work: refused, nothing made.
    other = create_avatar(
        influencer=personas["iris"].influencer,
        brand=personas["acme"],
        actor=personas["bob"],
        purpose="livestream_ecommerce",
        platform="douyin",
    )
    reused = api.post(
        "/api/v1/render-jobs/",
        {**job_body, "avatar": str(other.public_id)},
        format="json",
        HTTP_IDEMPOTENCY_KEY=render_key,
    )
    assert (reused.status_code, reused.json()["code"]) == (409, "request_key_used")
    assert RenderJob.objects.count() == 1


def test_a_key_that_is_not_a_uuid_is_refused_with_a_reason(personas: dict[str, Any], queued: list[int]) -> None:
    avatar = ready_avatar(personas, purposes=("livestream_ecommerce", "short_video"))
    script = approved_script(personas, SHORT_LINES)
    queued.clear()  # the avatar's own build
    body = {"avatar": str(avatar.public_id), "script_version": script.version_id}
    response = _api(personas["bob"]).post("/api/v1/short-videos/", body, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request_key"
    assert not ShortVideo.objects.exists()
    assert queued == []
