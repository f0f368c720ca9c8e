"""The operator console carries the host panel (its own include and static script, no inline script): the host's
tone and strategy tier and the viewer and order curves, polled from GET streams/<id>/host-state/, which answers like
the stream (another brand meets 404)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from interaction.host_state import update_host_state
from tests.interaction.tone.helpers import sample, suppressed, tone_stream

pytestmark = pytest.mark.django_db


def test_the_console_panel_and_its_data(personas: dict[str, Any], settings: Any) -> None:
    settings.TONE_DWELL_SECONDS = 0
    stream = tone_stream(personas)
    now = timezone.now()
    for minutes, viewers, orders in ((20, 40, 1.0), (10, 700, 6.0), (1, 900, 12.0)):
        sample(stream, now - timedelta(minutes=minutes), viewers=viewers, orders=orders)
    sample(stream, now - timedelta(hours=3), viewers=5, orders=0.0)  # outside the chart's half hour
    suppressed(stream, 8, now - timedelta(seconds=30))
    update_host_state(stream, now)

    page = Client()
    page.force_login(personas["bob"])
    html = page.get(f"/streams/{stream.public_id}/console/").content.decode()
    assert 'data-testid="host-state-panel"' in html
    assert "interaction/host_state.js" in html
    assert f"/api/v1/streams/{stream.public_id}/host-state/" in html
    assert "<script>" not in html  # the CSP forbids inline script: the chart is drawn by the static file

    api = APIClient()
    api.force_authenticate(personas["bob"])
    data = api.get(f"/api/v1/streams/{stream.public_id}/host-state/").json()
    assert data["tone"] == "calm"
    assert data["tier"] == "crowd"
    assert [v for _at, v in data["viewers"]] == [40, 700, 900]
    assert [o for _at, o in data["orders_per_minute"]] == [1.0, 6.0, 12.0]
    api.force_authenticate(personas["charlie"])
    assert api.get(f"/api/v1/streams/{stream.public_id}/host-state/").status_code == 404
