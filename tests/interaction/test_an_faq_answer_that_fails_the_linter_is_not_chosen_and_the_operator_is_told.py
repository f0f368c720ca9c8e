"""An FAQ answer that no longer passes the linter (here: an absolute term the word lists now block, as after a list
update) is not chosen however well its question matches: the comment goes to the operator with the reason
`answer_fails_linter:<rule>`, ledgered; the operator cannot send it with one click either."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from audit.models import LedgerEvent
from common.api import DomainError
from interaction.answers import pending_answers
from interaction.decisions import decide_comment_ids
from interaction.ingestion import store_messages
from interaction.models import Comment
from interaction.operator_replies import send_suggested_answer
from streaming.models import FaqEntry
from tests.interaction.helpers import comment, faq_stream

pytestmark = pytest.mark.django_db


def test_a_stale_answer_goes_to_the_operator(personas: dict[str, Any]) -> None:
    stream, faq, _secret = faq_stream(personas, live=True)
    entry = faq["shipping"]["zh"]
    # As if approved before the absolute-terms list grew: stored as is, bypassing today's checks.
    FaqEntry.objects.filter(pk=entry.pk).update(
        answer="全网最快发货，国家级物流，48小时内发出。", updated_at=timezone.now()
    )

    ids = store_messages(stream=stream, messages=[comment("q", "多久发货？")]).comment_ids
    decide_comment_ids(ids)
    row = Comment.objects.get(pk=ids[0])
    assert row.decision == "operator"
    assert row.reason == "answer_fails_linter:CN-AD-ABSOLUTE"
    assert row.candidates[0]["faq"] == str(entry.public_id)
    assert pending_answers(stream.pk) == []
    event = LedgerEvent.objects.get(subject=stream.subject, kind="interaction.comment_decided")
    assert event.payload_data["reason"] == "answer_fails_linter:CN-AD-ABSOLUTE"

    with pytest.raises(DomainError) as refused:
        send_suggested_answer(comment=row, operator=personas["bob"], faq_public_id=str(entry.public_id))
    assert refused.value.code == "answer_fails_linter"
