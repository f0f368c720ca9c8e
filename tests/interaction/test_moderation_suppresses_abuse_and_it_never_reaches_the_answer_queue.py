"""An abusive, sexual, political or banned comment is suppressed before any matching: never queued for the runner
(even one that also asks an FAQ question), flagged with its list and entry, counted in the feed, its text hidden
there, and its decision ledgered with the flags; a clean FAQ question beside it is answered."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import LedgerEvent
from interaction.answers import pending_answers
from interaction.decisions import decide_comment_ids
from interaction.feed_selectors import comment_feed
from interaction.ingestion import store_messages
from interaction.models import Comment
from tests.interaction.helpers import comment, faq_stream

pytestmark = pytest.mark.django_db

BAD = ["多久发货？傻 逼", "ＳＢ主播", "send nudes", "台独", "加微信私聊转账便宜"]


def test_abuse_is_suppressed_flagged_and_counted(personas: dict[str, Any]) -> None:
    stream, faq, _secret = faq_stream(personas)
    messages = [comment(f"bad-{i}", text, author=f"a{i}") for i, text in enumerate(BAD)]
    messages.append(comment("good", "发货要多久啊", author="fan"))
    ids = store_messages(stream=stream, messages=messages).comment_ids
    decide_comment_ids(ids)

    rows = {c.external_id: c for c in Comment.objects.filter(stream=stream)}
    for i in range(len(BAD)):
        row = rows[f"bad-{i}"]
        assert (row.decision, row.flagged) == ("suppressed", True), row.text
        assert row.reason.startswith("moderation:")
    assert rows["bad-0"].flags == ["abuse/zh-insults"]
    assert rows["bad-3"].reason == "moderation:political"
    assert rows["good"].decision == "answer"

    pending = pending_answers(stream.pk)
    assert [p.text for p in pending] == ["@用户，" + faq["shipping"]["zh"].answer]

    feed = comment_feed(stream)
    assert feed["counts"]["suppressed"] == feed["counts"]["flagged"] == len(BAD)
    hidden = [c for c in feed["comments"] if c["decision"] == "suppressed"]
    assert all(c["text"] == "" and c["candidates"] == [] for c in hidden)

    decided = LedgerEvent.objects.filter(subject=stream.subject, kind="interaction.comment_decided")
    suppressed = [e.payload_data for e in decided if e.payload_data["decision"] == "suppressed"]
    assert len(suppressed) == len(BAD)
    assert all(p["flags"] for p in suppressed)
