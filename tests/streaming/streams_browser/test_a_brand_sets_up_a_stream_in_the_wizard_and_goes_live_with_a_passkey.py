"""Alice sets up a Douyin stream in the wizard (avatar, an approved version, registration id, RTMP URL and key,
answers to viewers at once, herself as operator, a schedule in Shanghai time), schedules it, sees every check pass,
and goes live with her passkey in Chromium; the page then says the stream is live and the runner not started, and
shows only the key's last 4 characters. In the same browser she opens the operator console from the stream page and
sends a line to be said at once: the whole launch, from the wizard to a live stream she drives, is done in pages."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from audit.models import LedgerEvent
from streaming.models import Interjection, Stream
from tests.portal.conftest import login
from tests.streaming.streams.helpers import KEY, approved_version, stream_avatar

pytestmark = pytest.mark.browser


def test_alice_goes_live_from_the_wizard(page: Any, personas: dict[str, Any], alice_passkey: Any) -> None:
    page.set_default_timeout(20_000)
    stream_avatar(personas)
    version = approved_version(personas)
    login(page, "alice@acme.example", "alice-password-1")

    page.goto("/streams/")
    with page.expect_navigation():
        page.get_by_test_id("new-stream").click()
    page.get_by_label("Title").fill("Evening live")
    page.locator(f"input[name=playlist][value='{version.public_id}']").check()
    page.get_by_label("Virtual-anchor registration id (Douyin)").fill("DY-VA-0001")
    page.get_by_label("RTMP ingest URL").fill("rtmp://127.0.0.1:1935/live")
    page.get_by_label("Stream key").fill(KEY)
    page.locator(f"input[name=operators][value='{personas['alice'].public_id}']").check()
    start = datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(minutes=10)
    page.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Stops").fill((start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.locator("input[name=answers_at_once]").check()  # viewers' answers cut into the line on air
    with page.expect_navigation():
        page.get_by_test_id("create-stream").click()
    assert page.get_by_test_id("key-last4").inner_text().endswith(KEY[-4:])
    timing = page.get_by_test_id("answer-timing")
    assert timing.get_attribute("data-answers-at-once") == "true"
    assert "cut into the line on air at its next pause" in timing.inner_text()
    assert KEY not in page.content()

    with page.expect_navigation():
        page.get_by_test_id("schedule").click()
    assert page.get_by_test_id("checks-ok").is_visible()
    with page.expect_navigation():
        page.get_by_test_id("go-live").click()
    assert page.get_by_test_id("stream-state").get_attribute("data-state") == "live"
    assert page.get_by_test_id("runner-status").get_attribute("data-runner-status") == "queued"

    stream = Stream.objects.get()
    assert stream.state == "live"
    assert stream.runner_status == "queued"
    assert stream.answers_at_once is True
    assert LedgerEvent.objects.filter(subject=stream.subject, kind="stream.operator_verified").exists()

    # From the live stream's page to its operator console, and an "at once" line from there.
    with page.expect_navigation():
        page.get_by_test_id("open-console").click()
    assert page.get_by_test_id("console-state").get_attribute("data-state") == "live"
    page.get_by_test_id("interjection-text").fill("One moment please, everyone.")
    page.get_by_test_id("when-now").check()
    page.get_by_test_id("interject").click()
    page.get_by_test_id("interjections").get_by_text("One moment please, everyone.").wait_for()
    interjection = Interjection.objects.get(stream=stream)
    assert interjection.at_once is True
    assert interjection.by == personas["alice"]
    assert interjection.state == Interjection.State.ACCEPTED
