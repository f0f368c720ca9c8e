"""Acme's dashboard counts its streams by state, shows today's metered live hours (Shanghai day) and its recent
incidents from the ledger, newest first: the pause and the failure with their reasons, and the consent gate's
refusal of an Acme use as the sentence Acme was told, never the influencer's detailed reason."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from streaming.metering import record_live_usage
from tests.streaming.metering.helpers import usage_world

pytestmark = pytest.mark.django_db


def test_the_dashboard(client: Client, personas: dict[str, Any]) -> None:
    world = usage_world(personas)
    for sequence in (10, 11):
        record_live_usage(
            world.streams[0].pk, seconds=54, sequence=sequence, script_version_id=None, now=timezone.now()
        )
    client.force_login(personas["alice"])
    response = client.get(reverse("streams:dashboard", args=[personas["acme"].public_id]))
    assert response.status_code == 200
    html = response.content.decode()

    counts = dict(re.findall(r'data-testid="count-(\w+)"><dt>[^<]*</dt><dd>(\d+)</dd>', html))
    assert counts == {"live": "0", "paused": "1", "scheduled": "0", "draft": "0", "ended": "0", "failed": "1"}
    assert re.search(r'data-testid="today-hours">[^<]*: 0\.03 h<', html)

    incidents = re.findall(r'data-testid="incident" data-kind="([\w.]+)">(.*?)</tr>', html, re.S)
    assert [kind for kind, _ in incidents] == ["consent.use_refused", "stream.failed", "stream.paused"]
    rows = dict(incidents)
    assert "ingest unreachable" in rows["stream.failed"]
    assert world.streams[1].title in rows["stream.failed"]
    assert "operator away" in rows["stream.paused"]
    assert "This influencer has not given you consent for this use." in rows["consent.use_refused"]
    assert "out_of_scope_platform" not in html
    assert "The consent does not cover this platform." not in html
