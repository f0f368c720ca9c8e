"""A second delivery of a message id (a replayed request, or a new request reusing an id) is refused with 409
`replayed`, and nothing of that request is stored, not even its new comments."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from interaction.models import Comment
from tests.interaction.helpers import comment, faq_stream, post_signed

pytestmark = pytest.mark.django_db


def test_a_replayed_id_is_refused(personas: dict[str, Any]) -> None:
    stream, _faq, secret = faq_stream(personas)
    client = Client()
    first = post_signed(client, stream, secret, comment("m-1", "hello"))
    assert first.status_code == 202

    again = post_signed(client, stream, secret, comment("m-1", "hello"))
    assert (again.status_code, again.json()["code"]) == (409, "replayed")
    mixed = post_signed(client, stream, secret, {"messages": [comment("m-2", "new"), comment("m-1", "old")]})
    assert (mixed.status_code, mixed.json()["code"]) == (409, "replayed")
    assert list(Comment.objects.filter(stream=stream).values_list("external_id", flat=True)) == ["m-1"]
