"""The avatar page shows the consent behind the avatar and what it allows now, as a sentence: an active consent
allows new renders (and the page offers them); once revoked, "no new renders" and no start button, and the start
pages refuse. A suggested gesture clip is accepted from the page and the avatar rebuilds with it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from consent.gate import clear_cache
from render.models import Avatar, RenderJob
from tests.consent.helpers import revoke_with_passkey
from tests.render.helpers import SHORT_LINES, ready_avatar
from tests.streaming.scripts_factory import approved_script

pytestmark = [pytest.mark.django_db]


def _client(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_active_then_revoked(personas: dict[str, Any]) -> None:
    avatar = ready_avatar(personas)
    script = approved_script(personas, SHORT_LINES)
    alice = _client(personas["alice"])
    page = alice.get(f"/render/avatars/{avatar.public_id}/").content.decode()
    assert 'data-consent-state="active"' in page
    assert "new renders for Livestream e-commerce on Douyin are allowed" in page
    assert 'data-testid="start-render-link"' in page

    revoke_with_passkey(avatar.grant_used, avatar.grant_used.authenticator, personas["iris"])
    clear_cache()
    page = alice.get(f"/render/avatars/{avatar.public_id}/").content.decode()
    assert 'data-consent-state="revoked"' in page
    assert "no new renders, and work in progress stops at its next segment" in page
    assert 'data-testid="start-render-link"' not in page
    chinese = _client(personas["alice"], "zh-CN").get(f"/render/avatars/{avatar.public_id}/").content.decode()
    assert "不能再渲染" in chinese

    refused = _client(personas["alice"], "zh-CN").post(
        f"/render/avatars/{avatar.public_id}/render/",
        {"script_version": script.version_id, "resolution": "720p-portrait", "fps": "25"},
    )
    assert "该达人未就此用途向您授权" in refused.content.decode()
    assert not RenderJob.objects.exists()


def test_a_suggested_clip_is_accepted_and_the_avatar_rebuilds(
    personas: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from render.tasks import build_avatar_task

    monkeypatch.setattr(build_avatar_task, "delay_on_commit", lambda *args, **kwargs: None)
    avatar = ready_avatar(personas)
    Avatar.objects.filter(pk=avatar.pk).update(suggestions=[{"start_s": 2.8, "end_s": 3.6, "score": 2.1}])
    page = _client(personas["bob"]).get(f"/render/avatars/{avatar.public_id}/").content.decode()
    assert 'data-testid="accept-suggestion"' in page
    response = _client(personas["bob"]).post(
        f"/render/avatars/{avatar.public_id}/gestures/", {"accept_gesture": "greet", "start_s": "2.8", "end_s": "3.6"}
    )
    assert response.status_code == 302
    avatar.refresh_from_db()
    assert {"name": "greet", "start_s": 2.8, "end_s": 3.6} in avatar.gesture_marks
    assert avatar.status == Avatar.Status.QUEUED
    # A viewer reads the page but cannot accept.
    viewer_page = _client(personas["victor"]).get(f"/render/avatars/{avatar.public_id}/").content.decode()
    assert 'data-testid="accept-suggestion"' not in viewer_page
    # While it rebuilds, new marks are refused with a sentence in the reader's language.
    busy = _client(personas["bob"], "zh-CN").post(
        f"/render/avatars/{avatar.public_id}/gestures/", {"greet-start": "0.5", "greet-end": "1.5"}, follow=True
    )
    assert "数字人正在构建：请等待构建结束。" in busy.content.decode()
