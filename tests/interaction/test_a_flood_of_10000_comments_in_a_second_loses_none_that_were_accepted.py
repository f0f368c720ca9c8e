"""10,000 signed comments in one second (100 requests of 100): the stream's limit takes what it allows and
answers the rest 429 with Retry-After, storing nothing of a refused request and every comment of an accepted one;
one viewer past the per-viewer limit is refused the same way while others go on."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from interaction import rate_limits
from interaction.models import Comment
from tests.interaction.helpers import comment, faq_stream, post_signed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters() -> None:
    client = rate_limits._redis()
    if client is not None:
        for key in client.scan_iter(f"{rate_limits.PREFIX}*"):
            client.delete(key)


def test_a_flood_keeps_every_accepted_comment(personas: dict[str, Any]) -> None:
    stream, _faq, secret = faq_stream(personas)
    client = Client()
    second = int(time.time()) + 1
    while time.time() < second:  # start at the top of a second, so the flood falls in one window
        time.sleep(0.005)
    accepted, refused = 0, 0
    started = time.time()
    for r in range(100):
        batch = {"messages": [comment(f"f-{r}-{i}", f"第{i}条", author=f"v-{r}-{i}") for i in range(100)]}
        response = post_signed(client, stream, secret, batch)
        if response.status_code == 202:
            accepted += response.json()["accepted"]
        else:
            assert response.status_code == 429, response.content
            assert response.json()["code"] == "rate_limited"
            assert 1 <= int(response["Retry-After"]) <= 60
            refused += 100
    windows = int(time.time()) - int(started) + 1  # the test client may take longer than a second on a busy machine
    assert accepted + refused == 10_000
    assert refused > 0
    assert 0 < accepted <= settings.INTERACTION_STREAM_RATE_PER_SECOND * windows
    assert Comment.objects.filter(stream=stream).count() == accepted


def test_one_viewer_past_the_limit_is_refused_alone(personas: dict[str, Any]) -> None:
    stream, _faq, secret = faq_stream(personas)
    client = Client()
    limit = settings.INTERACTION_AUTHOR_RATE_PER_MINUTE
    spam = {"messages": [comment(f"s-{i}", "hi", author="spammer") for i in range(limit + 1)]}
    response = post_signed(client, stream, secret, spam)
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "one viewer" in response.json()["message"]
    ok = post_signed(client, stream, secret, {"messages": [comment("o-1", "hi", author="someone-else")]})
    assert ok.status_code == 202
    assert list(Comment.objects.filter(stream=stream).values_list("external_id", flat=True)) == ["o-1"]
