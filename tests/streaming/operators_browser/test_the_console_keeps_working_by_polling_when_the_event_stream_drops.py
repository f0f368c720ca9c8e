"""When the console's event stream cannot connect (here every request to it is aborted), the page says so and keeps
itself current by polling the console API: a pause made elsewhere (alice, the other operator, through the service)
shows up on bob's page, and his own controls still work."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from streaming.operators import operator_change_state
from tests.portal.conftest import login
from tests.streaming.operators.helpers import live_stream

pytestmark = pytest.mark.browser


def test_polling_fallback(page: Any, personas: dict[str, Any]) -> None:
    page.set_default_timeout(20_000)
    stream = live_stream(personas, with_alice=True)
    page.route("**/console/events", lambda route: route.abort())
    login(page, "bob@acme.example", "bob-password-1")
    page.goto(f"/streams/{stream.public_id}/console/")

    expect(page.get_by_test_id("transport")).to_have_attribute("data-mode", "polling")
    # One poll every 3 s: each change shows within a few seconds.
    expect(page.get_by_test_id("presence")).to_have_attribute("data-present", "true", timeout=15_000)
    operator_change_state(stream=stream, operator=personas["alice"], to="paused", reason="alice checks a question")
    expect(page.get_by_test_id("console-state")).to_have_attribute("data-state", "paused", timeout=15_000)
    expect(page.get_by_test_id("state-reason")).to_have_text("alice checks a question")

    page.get_by_test_id("resume").click()
    expect(page.get_by_test_id("console-state")).to_have_attribute("data-state", "live")
    stream.refresh_from_db()
    assert stream.state == "live"
