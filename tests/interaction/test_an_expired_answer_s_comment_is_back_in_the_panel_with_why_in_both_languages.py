"""An answer the host would have reached too late is expired by the runner (answers_on_air.expire_answer): its comment
is the operator's again, open, and the comment panel says why in words, in English and in Chinese, so they can send
it again or type a reply. Its answer leaves the waiting list and is offered again as a suggestion."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from interaction.answers_on_air import expire_answer
from interaction.decisions import decide_comment_ids
from interaction.ingestion import store_messages
from interaction.models import Answer
from tests.interaction.helpers import comment, faq_stream

pytestmark = pytest.mark.django_db

ENGLISH = "Not answered in time: the host had too much to say before it; send it again or type a reply"
CHINESE = "未能及时回答：主播在此之前要说的内容太多；请重新发送或输入回复"


def panel(personas: dict[str, Any], stream: Any, language: str) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(personas["bob"])
    page = client.get(f"/streams/{stream.public_id}/comments/")
    assert page.status_code == 200
    return page.content.decode()


def waiting(html: str) -> str:
    """The "Waiting to be spoken" list."""
    return html.split('data-testid="queued">')[1].split("</ul>")[0]


def test_bob_sees_the_expired_question_back_in_his_feed_with_the_reason(personas: dict[str, Any]) -> None:
    stream, faq, _secret = faq_stream(personas, live=True)
    ids = store_messages(stream=stream, messages=[comment("q", "多久发货？", author="u1")]).comment_ids
    decide_comment_ids(ids)
    answer = Answer.objects.get(comment_id=ids[0])
    assert answer.state == Answer.State.QUEUED
    before = panel(personas, stream, "en")
    assert faq["shipping"]["zh"].answer in waiting(before)
    assert ENGLISH not in before

    assert expire_answer(answer.pk, waited_s=41.5, limit_s=30.0, at=timezone.now())

    english, chinese = panel(personas, stream, "en"), panel(personas, stream, "zh-CN")
    assert "多久发货？" in english
    assert ENGLISH in english
    assert CHINESE in chinese
    assert ENGLISH not in chinese
    assert faq["shipping"]["zh"].answer not in waiting(english)
    # ...and it is the first suggestion again, to send with one click.
    assert faq["shipping"]["zh"].answer in english.split('data-testid="reason"')[1].split("data-reply-form")[0]
