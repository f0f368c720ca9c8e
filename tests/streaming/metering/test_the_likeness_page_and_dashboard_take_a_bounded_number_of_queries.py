"""No N+1: the likeness page and the brand dashboard run the same number of queries with 2 streams as with 6 (more
avatars' uses, usage rows, short videos and incidents), and at most a fixed budget."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from render.models import ShortVideo
from streaming.metering import record_live_usage
from streaming.streams import transition_stream
from tests.streaming.metering.helpers import FROM, NOON_SHANGHAI, TO, usage_world
from tests.streaming.streams.helpers import new_stream

pytestmark = pytest.mark.django_db
BUDGET = 20


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, {"from": FROM, "to": TO}).status_code == 200
    return len(captured.captured_queries)


def test_query_counts_do_not_grow_with_the_data(client: Client, personas: dict[str, Any]) -> None:
    world = usage_world(personas)
    likeness, dashboard = reverse("likeness:mine"), reverse("streams:dashboard", args=[personas["acme"].public_id])
    client.force_login(personas["iris"])
    small_likeness = _queries(client, likeness)
    client.force_login(personas["alice"])
    small_dashboard = _queries(client, dashboard)

    version = world.streams[0].version
    for n in range(4):
        stream = new_stream(personas, world.avatar, version, title=f"More {n}")
        record_live_usage(stream.pk, seconds=2, sequence=0, script_version_id=version.pk, now=NOON_SHANGHAI)
        transition_stream(stream=stream, to="ended", actor=personas["alice"], reason=f"cancelled {n}")
        ShortVideo.objects.create(
            avatar=world.avatar, brand=personas["acme"], grant=world.grant, platform="douyin", script=world.video.script
        )
    scheduled = new_stream(personas, world.avatar, version, title="Scheduled")
    transition_stream(stream=scheduled, to="scheduled", actor=personas["alice"], reason="planned")
    transition_stream(stream=scheduled, to="failed", actor=None, reason="another failure")

    client.force_login(personas["iris"])
    assert _queries(client, likeness) == small_likeness <= BUDGET
    client.force_login(personas["alice"])
    assert _queries(client, dashboard) == small_dashboard <= BUDGET
