"""In Chromium, bob's operator console draws the host panel from its own static script under the CSP (no JavaScript
error, no CSP violation): the host's tone and tier as words, and the viewer and order curves as SVG polylines with
the latest values beside them; a new room sample shows at the next poll."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interaction.host_state import update_host_state
from tests.interaction.tone.helpers import sample, tone_stream
from tests.portal.conftest import login, screenshot

pytestmark = pytest.mark.browser


def test_the_console_draws_the_room(page: Any, personas: dict[str, Any], settings: Any) -> None:
    settings.TONE_DWELL_SECONDS = 0
    page.set_default_timeout(20_000)
    stream = tone_stream(personas)
    now = timezone.now()
    for minutes, viewers, orders in ((12, 30, 2.0), (6, 260, 8.0), (1, 640, 14.0)):
        sample(stream, now - timedelta(minutes=minutes), viewers=viewers, orders=orders)
    update_host_state(stream, now)
    login(page, "bob@acme.example", "bob-password-1")
    page.goto(f"/streams/{stream.public_id}/console/")

    expect(page.get_by_test_id("host-tone")).to_have_attribute("data-tone", "upbeat")
    expect(page.get_by_test_id("host-tier")).to_have_attribute("data-tier", "crowd")
    expect(page.get_by_test_id("host-tone")).to_have_text("Upbeat")
    curve = page.get_by_test_id("viewers-curve")
    expect(curve).to_have_count(1)
    assert len(curve.get_attribute("points").split()) == 3
    expect(page.get_by_test_id("orders-curve")).to_have_count(1)
    expect(page.get_by_test_id("room-viewers-now")).to_have_text("640")
    expect(page.get_by_test_id("room-orders-now")).to_have_text("14")

    sample(stream, timezone.now(), viewers=900, orders=3.0)
    expect(page.get_by_test_id("room-viewers-now")).to_have_text("900", timeout=15_000)
    assert len(page.get_by_test_id("viewers-curve").get_attribute("points").split()) == 4
    screenshot(page, "console-host-panel")
