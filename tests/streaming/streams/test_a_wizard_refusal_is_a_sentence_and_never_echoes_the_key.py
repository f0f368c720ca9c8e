"""A refused set-up (an http:// ingest URL) comes back as the wizard with the service's sentence and the values
typed so far, but never the stream key; nothing is stored. A go-live refusal on the page is JSON with the sentences
in the page's language."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from streaming.models import Stream
from tests.streaming.streams.helpers import KEY, approved_version, new_stream, stream_avatar

pytestmark = pytest.mark.django_db


def test_the_wizard_refuses_with_a_sentence(client: Client, personas: dict[str, Any]) -> None:
    avatar, version = stream_avatar(personas), approved_version(personas)
    client.force_login(personas["alice"])
    start = timezone.localtime(timezone.now() + timedelta(hours=1))
    response = client.post(
        f"/streams/brands/{personas['acme'].public_id}/new/",
        {
            "title": "Typed title",
            "avatar": str(avatar.public_id),
            "playlist": [str(version.public_id)],
            "platform": "douyin",
            "rtmp_url": "http://ingest.example.com/live",
            "stream_key": KEY,
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "stops_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "time_zone": "Asia/Shanghai",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "rtmp://" in html
    assert "Typed title" in html
    assert KEY not in html
    assert not Stream.objects.exists()


def test_a_go_live_refusal_is_json_in_chinese(client: Client, personas: dict[str, Any]) -> None:
    stream = new_stream(personas, stream_avatar(personas), approved_version(personas))
    client.force_login(personas["bob"])
    response = client.post(
        f"/streams/{stream.public_id}/go-live-options", content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "go_live_refused"
    assert "只有已排期的直播才能开播" in body["message"]
