"""A room sample's viewer count past a billion (2**62 once reached the database as "integer out of range", a 500)
is refused with 400 `invalid_message` and the accepted range; a plausible one is kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from interaction.models import RoomSample
from tests.interaction.helpers import faq_stream, post_signed

pytestmark = pytest.mark.django_db


def test_an_impossible_viewer_count_is_refused(personas: dict[str, Any]) -> None:
    stream, _faq, secret = faq_stream(personas)
    client = Client(raise_request_exception=False)

    for viewers in (2**62, 1_000_000_001, -1):
        response = post_signed(client, stream, secret, {"type": "room", "id": f"r-{viewers}", "viewers": viewers})
        assert (response.status_code, response.json()["code"]) == (400, "invalid_message")
        assert "1,000,000,000" in response.json()["message"]
    assert not RoomSample.objects.filter(stream=stream).exists()

    ok = post_signed(client, stream, secret, {"type": "room", "id": "r-ok", "viewers": 1_000_000_000})
    assert ok.status_code == 202
    assert RoomSample.objects.get(stream=stream).viewers == 1_000_000_000
