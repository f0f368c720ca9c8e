"""The comment panel /streams/<id>/comments/ shows the feed with suggestions and scores for the operator's
comments, the flagged count (never a suppressed comment's text), the queued answers and the room chart's canvas
and data, with its script as a static file (strict CSP); the FAQ quality page shows the answer rate, the top
questions and the questions asked and not answered. Both in Chinese too."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from interaction.decisions import decide_comment_ids
from interaction.ingestion import store_messages
from tests.interaction.helpers import comment, faq_stream

pytestmark = pytest.mark.django_db


def test_the_panel_and_the_quality_page(personas: dict[str, Any]) -> None:
    stream, faq, _secret = faq_stream(personas)
    messages = [
        {"type": "room", "id": "r1", "viewers": 100, "orders_per_minute": 1},
        {"type": "room", "id": "r2", "viewers": 140, "orders_per_minute": 3},
        comment("a", "发货要多久啊", author="u1"),
        comment("b", "发货要多久啊", author="u2"),
        comment("c", "这个和别家比怎么样", author="u3"),
        comment("d", "你是傻逼", author="u4"),
    ]
    decide_comment_ids(store_messages(stream=stream, messages=messages).comment_ids)

    client = Client()
    client.force_login(personas["bob"])
    page = client.get(f"/streams/{stream.public_id}/comments/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "这个和别家比怎么样" in html
    assert "你是傻逼" not in html
    assert 'data-testid="count-flagged">1<' in html
    assert "data-send-faq=" in html
    assert "<canvas" in html
    assert "interaction/comments.js" in html
    assert "<script>" not in html
    feed = json.loads(html.split('id="comment-feed" type="application/json">')[1].split("</script>")[0])
    assert [r["viewers"] for r in feed["room"]] == [100, 140]
    assert faq["shipping"]["zh"].answer in html  # queued twice, shown in the waiting list

    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    chinese.force_login(personas["bob"])
    zh = chinese.get(f"/streams/{stream.public_id}/comments/").content.decode()
    assert "评论与回答" in zh
    assert "已屏蔽并标记" in zh

    alice = Client()
    alice.force_login(personas["alice"])
    quality = alice.get(f"/streams/brands/{personas['acme'].public_id}/faq-quality/")
    text = quality.content.decode()
    assert quality.status_code == 200
    assert 'data-testid="answer-rate">67 %' in text  # 2 answered of 3 not suppressed
    assert "这个和别家比怎么样" in text
    assert faq["shipping"]["zh"].question in text
    outsider = Client()
    outsider.force_login(personas["charlie"])
    assert outsider.get(f"/streams/brands/{personas['acme'].public_id}/faq-quality/").status_code == 404
    assert outsider.get(f"/streams/{stream.public_id}/comments/").status_code == 404
