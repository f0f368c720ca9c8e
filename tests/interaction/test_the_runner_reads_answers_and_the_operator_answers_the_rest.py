"""The runner's seam: pending_answers gives queued answers oldest first as streaming.live.control.Interjection
values (at_once False: the next sentence boundary; by_user_id 0 for the matcher, else the operator), and
mark_answer_spoken marks and ledgers each once however often it is called. A low-confidence comment goes to the
operator with its candidates; the operator sends one with a click or types a reply, which the linter checks first;
an answered or suppressed comment takes no second answer; only assigned operators may answer (API too)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from audit.models import LedgerEvent
from common.api import DomainError
from interaction.answers import mark_answer_spoken, pending_answers
from interaction.decisions import decide_comment_ids
from interaction.ingestion import store_messages
from interaction.models import Answer, Comment
from interaction.operator_replies import send_typed_reply
from streaming.live.control import Interjection
from tests.interaction.helpers import comment, faq_stream

pytestmark = pytest.mark.django_db


def test_answers_reach_the_runner_and_the_operator_answers_the_rest(personas: dict[str, Any]) -> None:
    bob = personas["bob"]
    stream, faq, _secret = faq_stream(personas, live=True)
    ids = store_messages(
        stream=stream,
        messages=[
            comment("a", "发货要多久啊", author="u1"),
            comment("b", "这个和别家比怎么样", author="u2"),
            comment("c", "is it dishwasher safe", author="u3"),
        ],
    ).comment_ids
    decide_comment_ids(ids)
    decide_comment_ids(ids)  # a retried task decides nothing twice

    rows = {c.external_id: c for c in Comment.objects.filter(stream=stream)}
    assert (rows["a"].decision, rows["b"].decision, rows["c"].decision) == ("answer", "operator", "answer")
    assert len(rows["b"].candidates) == 3
    assert all("score" in c for c in rows["b"].candidates)

    pending = pending_answers(stream.pk)
    first, second = Answer.objects.filter(stream=stream).order_by("created_at", "pk")
    assert pending == [
        Interjection(id=first.pk, text="@用户，" + faq["shipping"]["zh"].answer, at_once=False, by_user_id=0),
        Interjection(id=second.pk, text="@viewer, " + faq["dishwasher"]["en"].answer, at_once=False, by_user_id=0),
    ]

    at = timezone.now()
    mark_answer_spoken(first.pk, sequence=7, at=at)
    mark_answer_spoken(first.pk, sequence=8, at=at + timedelta(seconds=2))
    first.refresh_from_db()
    assert (first.state, first.spoken_sequence) == ("spoken", 7)
    assert [p.id for p in pending_answers(stream.pk)] == [second.pk]
    assert LedgerEvent.objects.filter(subject=stream.subject, kind="interaction.answer_spoken").count() == 1

    # The operator: a typed reply with an absolute term is refused by the linter; a clean one is queued.
    with pytest.raises(DomainError) as refused:
        send_typed_reply(comment=rows["b"], operator=bob, text="这是国家级的最佳产品", language="zh")
    assert refused.value.code == "reply_refused"
    client = Client()
    client.force_login(bob)
    url = f"/api/v1/streams/{stream.public_id}/comments/{rows['b'].public_id}/answer/"
    sent = client.post(url, {"faq": rows["b"].candidates[0]["faq"]}, content_type="application/json")
    assert sent.status_code == 201, sent.content
    answer = Answer.objects.get(public_id=sent.json()["answer"])
    assert (answer.source, answer.by_id) == ("suggested", bob.pk)
    assert pending_answers(stream.pk)[-1].by_user_id == bob.pk
    again = client.post(url, {"text": "谢谢关注"}, content_type="application/json")
    assert (again.status_code, again.json()["code"]) == (409, "comment_answered")

    # Someone who does not operate the stream may not answer (victor is a viewer of Acme).
    ids = store_messages(stream=stream, messages=[comment("d", "这个怎么样", author="u4")]).comment_ids
    decide_comment_ids(ids)
    outsider = Client()
    outsider.force_login(personas["victor"])
    other = f"/api/v1/streams/{stream.public_id}/comments/{Comment.objects.get(pk=ids[0]).public_id}/answer/"
    denied = outsider.post(other, {"text": "好的"}, content_type="application/json")
    assert denied.status_code == 403
    typed = send_typed_reply(comment=Comment.objects.get(pk=ids[0]), operator=bob, text="稍后为您介绍。", language="zh")
    assert typed.source == "typed"
    queued = LedgerEvent.objects.filter(subject=stream.subject, kind="interaction.answer_queued")
    assert [e.payload_data["source"] for e in queued.order_by("seq")] == ["matched", "matched", "suggested", "typed"]
