"""Whether the AI host answers viewers at once (cutting into the line on air at its next pause) or after the line is
the brand's choice per stream: a checkbox of the set-up page and `answers_at_once` in the API, off by default,
shown on the stream's page in both languages and kept in the ledger's `stream.created` setup."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import LedgerEvent
from streaming.models import Stream
from tests.streaming.streams.helpers import KEY, api_body, approved_version, stream_avatar

pytestmark = pytest.mark.django_db


def test_the_page_sets_it_and_says_so_in_both_languages(client: Client, personas: dict[str, Any]) -> None:
    avatar, version = stream_avatar(personas), approved_version(personas)
    client.force_login(personas["alice"])
    start = timezone.localtime(timezone.now() + timedelta(hours=1))
    new_page = client.get(f"/streams/brands/{personas['acme'].public_id}/new/").content.decode()
    assert 'name="answers_at_once"' in new_page
    response = client.post(
        f"/streams/brands/{personas['acme'].public_id}/new/",
        {
            "title": "Answers at once",
            "avatar": str(avatar.public_id),
            "playlist": [str(version.public_id)],
            "platform": "douyin",
            "rtmp_url": "rtmp://127.0.0.1/live",
            "stream_key": KEY,
            "registration_id": "DY-1",
            "answers_at_once": "1",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "stops_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "time_zone": "Asia/Shanghai",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    stream = Stream.objects.get()
    assert stream.answers_at_once is True
    created = LedgerEvent.objects.get(subject=stream.subject, kind="stream.created")
    assert created.payload_data["answers_at_once"] is True

    english = client.get(f"/streams/{stream.public_id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "answers cut into the line on air at its next pause." in english
    client.cookies.load({"veracast_language": "zh-hans"})
    chinese = client.get(f"/streams/{stream.public_id}/").content.decode()
    assert "观众问题的回答在当前台词的下一个停顿处插入。" in chinese


def test_the_api_defaults_to_after_the_line(personas: dict[str, Any]) -> None:
    avatar, version = stream_avatar(personas), approved_version(personas)
    body = api_body(avatar, version)
    client = APIClient()
    client.force_authenticate(personas["alice"])
    url = f"/api/v1/organisations/{personas['acme'].public_id}/streams/"
    plain = client.post(url, body, format="json")
    assert plain.status_code == 201, plain.content
    assert plain.json()["answers_at_once"] is False
    at_once = client.post(url, {**body, "answers_at_once": True, "title": "Quick answers"}, format="json")
    assert at_once.json()["answers_at_once"] is True
    bad = client.post(url, {**body, "answers_at_once": "sometimes"}, format="json")
    assert bad.status_code == 400
    assert Stream.objects.count() == 2
