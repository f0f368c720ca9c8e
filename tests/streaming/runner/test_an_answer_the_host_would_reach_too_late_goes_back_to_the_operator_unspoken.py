"""Viewers can ask faster than the host speaks. An answer that would reach the air more than
LIVE_ANSWER_MAX_WAIT_SECONDS after it was queued is never planned: it is expired, its comment goes back to the
operator's feed with the reason `answer_expired` (shown in words on the console), and `interaction.answer_expired`
names how long it would have waited. A fresh answer queued beside it is spoken as usual, and the operator can send
the expired one again: it queues afresh and is spoken."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from audit.models import LedgerEvent
from interaction.demo_faq import load_demo_faq
from interaction.feed_labels import reason_labels
from interaction.feed_selectors import comment_feed
from interaction.ingestion import store_messages
from interaction.models import Answer, Comment
from interaction.operator_replies import send_suggested_answer
from streaming.models import StreamLease
from streaming.operators import heartbeat, set_presence_timeout
from streaming.runner.loop import run_live_stream
from tests.interaction.helpers import comment
from tests.streaming.live.nginx_rtmp import NginxRtmp
from tests.streaming.runner.helpers import live_stream, runner_settings

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def planned_line_ids(stream: Any) -> list[str]:
    return [x["id"] for b in StreamLease.objects.get(stream=stream).blocks for x in b["lines"]]


def test_an_answer_queued_a_minute_ago_is_expired_and_a_fresh_one_spoken(
    transactional_db: Any, personas: dict[str, Any], nginx_rtmp: NginxRtmp
) -> None:
    stream = live_stream(personas, nginx_rtmp)
    stream = set_presence_timeout(stream=stream, actor=personas["alice"], seconds=300)
    heartbeat(stream=stream, operator=personas["bob"])
    load_demo_faq(organisation=personas["acme"], actor=personas["alice"])
    ids = store_messages(
        stream=stream, messages=[comment("old", "多久发货呀", author="u1"), comment("new", "能装多少水", author="u2")]
    ).comment_ids
    late, fresh = (Answer.objects.get(comment_id=i) for i in ids)
    # The first was queued a minute before the runner reaches it (the host was busy, or the stream was paused).
    Answer.objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(seconds=60))

    run = run_live_stream(
        stream_id=stream.pk, settings=runner_settings(answer_max_wait_seconds=20), max_segments=6, pace=False
    )
    assert run.status == "yielded", run

    late.refresh_from_db()
    fresh.refresh_from_db()
    assert (late.state, late.withdrawn_reason, late.spoken_sequence) == ("expired", "answer_expired", None)
    assert fresh.state == "spoken"
    lines = planned_line_ids(stream)
    assert f"answer:{fresh.public_id}" in lines
    assert f"answer:{late.public_id}" not in lines

    row = Comment.objects.get(pk=ids[0])
    assert (row.decision, row.handled, row.reason) == ("operator", False, "answer_expired")
    shown = next(c for c in comment_feed(stream)["comments"] if c["id"] == str(row.public_id))
    assert (shown["decision"], shown["reason"]) == ("operator", "answer_expired")
    assert reason_labels()["answer_expired"].startswith("Not answered in time")

    expired = LedgerEvent.objects.get(subject=stream.subject, kind="interaction.answer_expired").payload_data
    assert (expired["answer"], expired["comment"], expired["reason"]) == (
        str(late.public_id),
        str(row.public_id),
        "answer_expired",
    )
    assert expired["limit_s"] == 20
    assert 60 <= expired["waited_s"] < 120
    spoken = LedgerEvent.objects.filter(subject=stream.subject, kind="interaction.answer_spoken")
    assert [e.payload_data["answer"] for e in spoken] == [str(fresh.public_id)]

    # The operator sends the FAQ answer again from the feed: it queues afresh and the next segments speak it.
    again = send_suggested_answer(comment=row, operator=personas["bob"], faq_public_id=str(late.faq.public_id))
    more = run_live_stream(
        stream_id=stream.pk, settings=runner_settings(answer_max_wait_seconds=20), max_segments=4, pace=False
    )
    assert more.status == "yielded", more
    again.refresh_from_db()
    assert again.state == "spoken"
    assert f"answer:{again.public_id}" in planned_line_ids(stream)
