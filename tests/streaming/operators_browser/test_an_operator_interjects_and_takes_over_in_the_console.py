"""bob opens the console of his live stream in Chromium. His console's heartbeats make him present; the page gets
its updates over server-sent events. He interjects a clean line at once (accepted) and a banned claim (refused with
the linter's sentence), takes the stream over and hands back, pauses and resumes, and sees each state change on the
page and in its ledger tail. When his page closes, the heartbeats stop: operator_present stays True within the
10 s timeout of his last beat and turns False after it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from streaming.models import Interjection, OperatorHeartbeat, Takeover
from streaming.operator_control import operator_present, pending_interjections
from streaming.operators import set_presence_timeout
from tests.portal.conftest import login, screenshot
from tests.streaming.operators.helpers import live_stream

pytestmark = pytest.mark.browser


def test_the_console(page: Any, personas: dict[str, Any]) -> None:
    page.set_default_timeout(20_000)
    stream = live_stream(personas)
    set_presence_timeout(stream=stream, actor=personas["alice"], seconds=10)
    login(page, "bob@acme.example", "bob-password-1")
    page.goto(f"/streams/{stream.public_id}/")
    with page.expect_navigation():
        page.get_by_test_id("open-console").click()

    expect(page.get_by_test_id("presence")).to_have_attribute("data-present", "true", timeout=15_000)
    expect(page.get_by_test_id("transport")).to_have_attribute("data-mode", "events", timeout=15_000)
    expect(page.get_by_test_id("console-state")).to_have_attribute("data-state", "live")
    expect(page.get_by_test_id("preview-status")).to_have_text("No preview yet.")
    expect(page.get_by_test_id("next-line")).to_have_text("Hello everyone, welcome!")

    page.get_by_test_id("interjection-text").fill("Welcome to everyone who just joined!")
    page.get_by_test_id("when-now").check()
    page.get_by_test_id("interject").click()
    expect(page.get_by_test_id("console-message")).to_have_text("Accepted: the avatar will say it.")
    expect(page.locator("[data-testid=interjections] li[data-state=accepted]")).to_have_count(1)
    [pending] = pending_interjections(stream.pk)
    assert (pending.text, pending.at_once, pending.by_user_id) == (
        "Welcome to everyone who just joined!",
        True,
        personas["bob"].pk,
    )

    page.get_by_test_id("interjection-text").fill("This is the best product in the world")
    page.get_by_test_id("interject").click()
    expect(page.get_by_test_id("console-message")).to_contain_text("This line was refused: Absolute term “best”")
    expect(page.locator("[data-testid=interjections] li[data-state=refused]")).to_have_count(1)
    assert Interjection.objects.filter(state="refused").count() == 1

    page.get_by_test_id("take-over").click()
    expect(page.get_by_test_id("takeover")).to_have_attribute("data-active", "true")
    expect(page.get_by_test_id("takeover")).to_contain_text("Taken over by Bob")
    expect(page.get_by_test_id("hand-back")).to_be_enabled()
    expect(page.locator("[data-testid=ledger] li[data-kind='stream.taken_over']")).to_have_count(1)
    assert Takeover.objects.get().ended_at is None
    screenshot(page, "operator-console-taken-over")
    page.get_by_test_id("hand-back").click()
    expect(page.get_by_test_id("takeover")).to_have_attribute("data-active", "false")

    page.get_by_test_id("pause").click()
    expect(page.get_by_test_id("console-state")).to_have_attribute("data-state", "paused")
    expect(page.get_by_test_id("state-reason")).to_have_text("paused by the operator")
    page.get_by_test_id("resume").click()
    expect(page.get_by_test_id("console-state")).to_have_attribute("data-state", "live")
    expect(page.locator("[data-testid=ledger] li[data-kind='stream.resumed']")).to_have_count(1)

    # The console closes: its heartbeats stop.
    page.goto("about:blank")
    last = OperatorHeartbeat.objects.get(stream=stream, operator=personas["bob"]).last_seen_at
    assert operator_present(stream.pk, last + timedelta(seconds=9))
    assert not operator_present(stream.pk, last + timedelta(seconds=11))
