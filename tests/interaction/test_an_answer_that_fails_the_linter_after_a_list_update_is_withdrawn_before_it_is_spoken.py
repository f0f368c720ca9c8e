"""An answer passed the linter when it was queued, but the word lists can change while it waits. Just before the
runner plans it, its control (PlatformControl.pending_answers) lints each queued answer again under today's rules:
one that fails is withdrawn (never handed to the runner, never marked spoken), its comment goes back to the
operator's feed with the reason `answer_fails_linter:<rule>` so they can type another reply, and
`interaction.answer_withdrawn` is ledgered once. A clean answer queued beside it is handed over as usual."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from audit.models import LedgerEvent
from interaction.answers import mark_answer_spoken
from interaction.decisions import decide_comment_ids
from interaction.feed_selectors import comment_feed
from interaction.ingestion import store_messages
from interaction.models import Answer, Comment
from interaction.operator_replies import send_typed_reply
from streaming.models import FaqEntry
from streaming.runner.platform_control import PlatformControl
from tests.interaction.helpers import comment, faq_stream

pytestmark = pytest.mark.django_db

STALE = "全网最快发货，国家级物流，48小时内发出。"


def test_a_stale_answer_is_withdrawn_and_the_operator_told(personas: dict[str, Any]) -> None:
    stream, faq, _secret = faq_stream(personas, live=True)
    ids = store_messages(
        stream=stream, messages=[comment("q", "多久发货？", author="u1"), comment("m", "能装多少水", author="u2")]
    ).comment_ids
    decide_comment_ids(ids)
    stale, clean = (Answer.objects.get(comment_id=i) for i in ids)
    # As if both were approved and queued before the absolute-terms list grew: the list update makes them fail now.
    FaqEntry.objects.filter(pk=faq["shipping"]["zh"].pk).update(answer=STALE, updated_at=timezone.now())
    Answer.objects.filter(pk=stale.pk).update(text=STALE)

    control = PlatformControl()
    ready = control.pending_answers(stream.pk)
    assert [a.id for a in ready] == [clean.pk]
    assert ready[0].faq_public_id == str(faq["capacity"]["zh"].public_id)
    assert ready[0].text == "@用户，" + faq["capacity"]["zh"].answer

    stale.refresh_from_db()
    assert (stale.state, stale.withdrawn_reason) == ("withdrawn", "answer_fails_linter:CN-AD-ABSOLUTE")
    mark_answer_spoken(stale.pk, sequence=3, at=timezone.now())  # too late for it: nothing changes
    stale.refresh_from_db()
    assert (stale.state, stale.spoken_sequence) == ("withdrawn", None)

    # The operator is told where they answer comments: the comment is back in their feed, open, with the reason.
    row = Comment.objects.get(pk=ids[0])
    assert (row.decision, row.handled, row.reason) == ("operator", False, "answer_fails_linter:CN-AD-ABSOLUTE")
    shown = next(c for c in comment_feed(stream)["comments"] if c["id"] == str(row.public_id))
    assert (shown["decision"], shown["reason"]) == ("operator", "answer_fails_linter:CN-AD-ABSOLUTE")
    assert [q["id"] for q in comment_feed(stream)["queued"]] == [str(clean.public_id)]

    assert [a.id for a in control.pending_answers(stream.pk)] == [clean.pk]  # asked again: no second withdrawal
    withdrawn = LedgerEvent.objects.filter(subject=stream.subject, kind="interaction.answer_withdrawn")
    assert [e.payload_data for e in withdrawn] == [
        {
            "stream": str(stream.public_id),
            "answer": str(stale.public_id),
            "comment": str(row.public_id),
            "faq": str(faq["shipping"]["zh"].public_id),
            "reason": "answer_fails_linter:CN-AD-ABSOLUTE",
            "rules_version": withdrawn[0].payload_data["rules_version"],
        }
    ]
    assert not LedgerEvent.objects.filter(subject=stream.subject, kind="interaction.answer_spoken").exists()

    reply = send_typed_reply(comment=row, operator=personas["bob"], text="下单后两天内发货。", language="zh")
    assert [a.id for a in control.pending_answers(stream.pk)] == [clean.pk, reply.pk]
