"""Strategy tiers by viewer count: a crowd hears the product and price lines first, few viewers the greetings and
FAQ lines first. The runner's playlist only reorders the approved version's own lines (every line once per pass,
the disclosure first, no other line), a tier change mid-version reorders only the lines still to come, and the
change of tier is ledgered with the stream's own thresholds."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from audit.models import LedgerEvent
from interaction.host_state import update_host_state
from streaming.runner.playlist import next_line
from tests.interaction.tone.helpers import LINES, sample, tone_stream

pytestmark = pytest.mark.django_db


def one_pass(stream: Any, tiers: list[str | None]) -> list[str]:
    cursor: dict[str, Any] = {}
    spoken = []
    for tier in tiers:
        following = next_line(stream, cursor, tier=tier)
        spoken.append(following.line)
        cursor = following.cursor
    assert all(line["id"].startswith("0.0.") for line in spoken)  # one pass of the first (only) version
    return [line["id"].split(".", 2)[2] for line in spoken]


def test_each_tier_speaks_the_same_approved_lines_in_its_own_order(personas: dict[str, Any]) -> None:
    stream = tone_stream(personas)
    approved = {line["id"]: line["text"] for line in LINES}
    n = len(LINES)
    normal = one_pass(stream, ["normal"] * n)
    crowd = one_pass(stream, ["crowd"] * n)
    few = one_pass(stream, ["few"] * n)
    assert normal == ["d", "p", "g", "c", "q", "t"]  # the script's order
    assert crowd == ["d", "p", "c", "g", "q", "t"]  # products and prices first, the disclosure still first
    assert few == ["d", "g", "q", "t", "p", "c"]  # greetings, FAQ, thanks first
    for order in (normal, crowd, few):
        assert sorted(order) == sorted(approved)  # the same approved lines, each once: nothing added or repeated
    # What is spoken is the approved text, word for word.
    line = next_line(stream, {}, tier="crowd").line
    assert line["text"] == approved["d"]
    assert line["script_version"]


def test_a_tier_change_mid_version_reorders_only_the_lines_still_to_come(personas: dict[str, Any]) -> None:
    stream = tone_stream(personas)
    mixed = one_pass(stream, ["normal", "normal", "few", "few", "crowd", "crowd"])
    assert mixed[:2] == ["d", "p"]
    assert mixed[2:4] == ["g", "q"]
    assert sorted(mixed) == sorted(line["id"] for line in LINES)


def test_the_viewer_count_moves_the_tier_and_the_change_is_ledgered(personas: dict[str, Any], settings: Any) -> None:
    settings.TONE_DWELL_SECONDS = 0
    stream = tone_stream(personas, few_viewers_below=20, crowd_from=300)
    now = timezone.now()
    sample(stream, now - timedelta(seconds=5), viewers=5)
    assert update_host_state(stream, now).tier == "few"
    sample(stream, now + timedelta(seconds=5), viewers=1200)
    assert update_host_state(stream, now + timedelta(seconds=10)).tier == "crowd"
    events = [
        e.payload_data
        for e in LedgerEvent.objects.filter(subject=stream.subject, kind="stream.strategy_tier_changed").order_by("seq")
    ]
    assert [(e["from"], e["to"], e["viewers"]) for e in events] == [("normal", "few", 5), ("few", "crowd", 1200)]
    assert (events[1]["few_below"], events[1]["crowd_from"]) == (20, 300)
