"""A platform connector turns that platform's push into webhook messages: a Douyin live_comment push becomes a
comment with the platform's message id and the open id (hashed when stored), a live_gift push a gift event; an
unknown platform has no connector."""

from __future__ import annotations

from typing import Any

import pytest

from interaction.connectors import connector_for
from interaction.ingestion import store_messages
from interaction.models import Comment
from tests.interaction.helpers import faq_stream

pytestmark = pytest.mark.django_db


def test_a_douyin_push_is_stored_as_comments(personas: dict[str, Any]) -> None:
    stream, _faq, _secret = faq_stream(personas)
    douyin = connector_for("douyin")
    comments = douyin.to_messages(
        {
            "msg_type": "live_comment",
            "data": [{"msg_id": "7301", "sec_openid": "open-abc", "content": "多久发货？", "timestamp": 1796600000000}],
        }
    )
    gifts = douyin.to_messages(
        {"msg_type": "live_gift", "data": [{"msg_id": "7302", "sec_openid": "open-def", "gift_num": 3}]}
    )
    store_messages(stream=stream, messages=comments + gifts)

    first, second = Comment.objects.filter(stream=stream).order_by("external_id")
    assert (first.external_id, first.platform, first.text) == ("7301", "douyin", "多久发货？")
    assert first.sent_at.timestamp() == 1796600000
    assert "open-abc" not in first.author_hash
    assert second.events == [{"type": "gift", "count": 3, "item": ""}]
    with pytest.raises(ValueError, match="No connector"):
        connector_for("myspace")
