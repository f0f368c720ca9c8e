"""A comment signed with the stream's secret is accepted (202), stored with its platform, text, time and events,
its author only as a keyed hash (the platform's id appears nowhere: not in the row, not in the ledger), and
ledgered as interaction.comment_received; the secret itself is stored sealed and shown once."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from audit.models import LedgerEvent
from interaction.models import Comment, WebhookSecret
from tests.interaction.helpers import comment, faq_stream, post_signed

pytestmark = pytest.mark.django_db


def test_a_signed_comment_is_stored_hashed_and_ledgered(personas: dict[str, Any]) -> None:
    stream, _faq, secret = faq_stream(personas)
    sealed = bytes(WebhookSecret.objects.get(stream=stream).ciphertext)
    assert secret.encode() not in sealed
    assert len(secret) == 64

    gift = [{"type": "gift", "count": 3, "item": "rose"}]
    response = post_signed(
        Client(),
        stream,
        secret,
        comment("m-1", "多久发货？", author="douyin-open-id-777", platform="douyin", events=gift),
    )
    assert response.status_code == 202, response.content
    assert response.json() == {"accepted": 1, "room_samples": 0}

    row = Comment.objects.get(stream=stream)
    assert (row.text, row.platform, row.events) == ("多久发货？", "douyin", gift)
    assert "777" not in row.author_hash
    assert len(row.author_hash) == 64
    event = LedgerEvent.objects.get(subject=stream.subject, kind="interaction.comment_received")
    assert event.payload_data["author"] == row.author_hash
    assert "douyin-open-id-777" not in str(event.payload)
    assert LedgerEvent.objects.filter(subject=stream.subject, kind="interaction.webhook_secret_issued").count() == 1
    assert secret not in str(
        LedgerEvent.objects.get(subject=stream.subject, kind="interaction.webhook_secret_issued").payload
    )
