"""The build-avatar and short-video forms carry a request key, like the start-render form: submitting one twice (a
double click, a POST resent over a flaky connection) queues the work once and sends both answers to the same page; a
new form (a new key) queues new work, and a tampered key is a sentence, not a 500."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.test import Client

from render.models import Avatar, ShortVideo
from render.tasks import build_avatar_task, short_video_task
from tests.render.helpers import SHORT_LINES, grant_for, ready_avatar, store_sample
from tests.streaming.scripts_factory import approved_script

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _queue_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # What is queued is the point here, not the build or the render itself.
    monkeypatch.setattr(build_avatar_task, "delay_on_commit", lambda *args, **kwargs: None)
    monkeypatch.setattr(short_video_task, "delay_on_commit", lambda *args, **kwargs: None)


def _client(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _key_in(page: str) -> str:
    found = re.search(r'name="request_key" value="([0-9a-f-]{36})"', page)
    assert found, "the form carries no request key"
    return found.group(1)


def test_the_build_form_sent_twice_builds_one_avatar(personas: dict[str, Any]) -> None:
    grant = grant_for(personas)
    store_sample(personas["iris"].influencer)
    alice = _client(personas["alice"])
    use = {"grant": str(grant.public_id), "purpose": "livestream_ecommerce", "platform": "douyin"}
    key = _key_in(alice.get("/render/avatars/new/", use).content.decode())
    form = {**use, "brand": str(personas["acme"].public_id), "request_key": key}

    first = alice.post("/render/avatars/new/", form)
    second = alice.post("/render/avatars/new/", form)

    avatar = Avatar.objects.get()
    assert first["Location"] == second["Location"] == f"/render/avatars/{avatar.public_id}/"
    assert avatar.request_key == uuid.UUID(key)
    alice.post("/render/avatars/new/", {**form, "request_key": str(uuid.uuid4())})
    assert Avatar.objects.count() == 2


def test_the_short_video_form_sent_twice_makes_one_video(personas: dict[str, Any]) -> None:
    avatar = ready_avatar(personas, purposes=("livestream_ecommerce", "short_video"))
    script = approved_script(personas, SHORT_LINES)
    bob = _client(personas["bob"])
    url = f"/render/avatars/{avatar.public_id}/short-video/"
    key = _key_in(bob.get(url).content.decode())
    form = {"script_version": script.version_id, "orientation": "portrait", "resolution": "720p", "request_key": key}

    first = bob.post(url, form)
    second = bob.post(url, form)

    video = ShortVideo.objects.get()
    assert first["Location"] == second["Location"] == f"/render/short-videos/{video.public_id}/"


def test_a_tampered_key_is_a_sentence_in_the_readers_language(personas: dict[str, Any]) -> None:
    avatar = ready_avatar(personas, purposes=("livestream_ecommerce", "short_video"))
    script = approved_script(personas, SHORT_LINES)
    url = f"/render/avatars/{avatar.public_id}/short-video/"
    form = {"script_version": script.version_id, "request_key": "not-a-key"}

    english = _client(personas["bob"]).post(url, form)
    chinese = _client(personas["bob"], "zh-CN").post(url, form)

    assert english.status_code == chinese.status_code == 200
    assert "This form is damaged: open the start page again." in english.content.decode()
    assert "表单已损坏" in chinese.content.decode()
    assert not ShortVideo.objects.exists()
