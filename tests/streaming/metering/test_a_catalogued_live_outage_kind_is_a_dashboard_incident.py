"""The live runner's outage kinds reach the dashboard once catalogued: a `live.rtmp_outage` event of Acme's stream
(catalogued here as the runner will catalogue it) is an incident, a `live.segment_published` one is not, and
another brand's outage is not shown to Acme."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from audit.event_kinds import EVENT_KINDS, EventKind
from audit.services import record_event
from streaming.brand_dashboard import outage_kinds, recent_incidents
from tests.streaming.metering.helpers import streams_on_one_grant

pytestmark = pytest.mark.django_db


def test_live_outages_are_incidents(personas: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    for kind in ("live.rtmp_outage", "live.segment_published"):
        monkeypatch.setitem(EVENT_KINDS, kind, EventKind(kind, "stream", ("stream",), "test"))
    assert outage_kinds() == ("live.rtmp_outage",)
    (stream,) = streams_on_one_grant(personas, hours_per_day=None, count=1)
    with transaction.atomic():
        for kind, organisation in (
            ("live.rtmp_outage", personas["acme"]),
            ("live.segment_published", personas["acme"]),
            ("live.rtmp_outage", personas["globex"]),
        ):
            record_event(
                kind=kind,
                subject=stream.subject,
                payload={"stream": str(stream.public_id), "error": "connection refused"},
                actor=None,
                organisation=organisation,
            )
    incidents = recent_incidents(personas["acme"])
    assert [(i.kind, i.stream, i.detail) for i in incidents] == [("live.rtmp_outage", stream, "connection refused")]
    assert incidents[0].label == "Live output problem"
