"""JSON may escape half a surrogate pair (\\ud800) or a NUL (\\u0000): neither fits a PostgreSQL text column, a hash
or a ledger line. A lone surrogate anywhere in the body is refused with 400 `invalid_unicode`, a control character in a
message id with 400 `invalid_message`, and nothing of a refused request is stored; in a comment's text or a gift's
item a control character becomes a space and the comment is taken."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from interaction.models import Comment
from tests.interaction.helpers import comment, faq_stream, post_signed

pytestmark = pytest.mark.django_db

SURROGATES = {
    "text": b'{"id": "s-1", "author_id": "a", "text": "\\ud800 hi"}',
    "id": b'{"id": "\\udfff", "author_id": "a", "text": "hi"}',
    "author": b'{"id": "s-3", "author_id": "x\\ud83d", "text": "hi"}',
    "gift": b'{"id": "s-4", "author_id": "a", "text": "hi", "events": [{"type": "gift", "item": "\\ud800"}]}',
    "batch": b'{"messages": [{"id": "s-5", "author_id": "a", "text": "ok"}, {"id": "s-6", "author_id": "b", '
    b'"text": "\\udc00"}]}',
}


def test_lone_surrogates_and_control_characters_get_a_clear_reason(personas: dict[str, Any]) -> None:
    stream, _faq, secret = faq_stream(personas)
    client = Client(raise_request_exception=False)

    for where, body in SURROGATES.items():
        response = post_signed(client, stream, secret, body=body)
        assert (response.status_code, response.json()["code"]) == (400, "invalid_unicode"), where
        assert "surrogate" in response.json()["message"]

    for message in (comment("n-\x00-1", "hi"), {"type": "room", "id": "r\x00", "viewers": 3}):
        response = post_signed(client, stream, secret, message)
        assert (response.status_code, response.json()["code"]) == (400, "invalid_message")
        assert "control characters" in response.json()["message"]
    assert not Comment.objects.filter(stream=stream).exists()

    taken = post_signed(
        client, stream, secret, comment("n-2", "多久\x00发货", events=[{"type": "gift", "item": "rose\x00x"}])
    )
    assert taken.status_code == 202
    stored = Comment.objects.get(stream=stream, external_id="n-2")
    assert stored.text == "多久 发货"
    assert stored.events == [{"type": "gift", "count": 1, "item": "rose x"}]
