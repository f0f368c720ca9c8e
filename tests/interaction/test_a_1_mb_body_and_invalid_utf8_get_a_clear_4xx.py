"""A 1 MB comment is refused with 413 before anything else, a long comment text with 413 `comment_too_long`,
invalid UTF-8 with 400 (signed correctly: the encoding is the problem; `malformed_json` from the platform-wide JSON
check, `invalid_utf8` from the webhook for other media types), malformed JSON with 400."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from interaction.models import Comment
from tests.interaction.helpers import comment, faq_stream, post_signed

pytestmark = pytest.mark.django_db


def test_oversized_and_badly_encoded_bodies_are_refused(personas: dict[str, Any]) -> None:
    stream, _faq, secret = faq_stream(personas)
    client = Client()

    huge = json.dumps(comment("m-1", "啊" * (1024 * 1024 // 3 + 10))).encode()
    assert len(huge) > 1024 * 1024
    too_big = post_signed(client, stream, secret, body=huge)
    assert (too_big.status_code, too_big.json()["code"]) == (413, "body_too_large")

    long_text = post_signed(client, stream, secret, comment("m-2", "x" * 501))
    assert (long_text.status_code, long_text.json()["code"]) == (413, "comment_too_long")

    bad = b'{"id": "m-3", "author_id": "a", "text": "\xff\xfe"}'
    # As JSON, the platform-wide body check refuses it before the view (400 malformed_json, "not UTF-8").
    invalid = post_signed(client, stream, secret, body=bad)
    assert (invalid.status_code, invalid.json()["code"]) == (400, "malformed_json")
    assert "UTF-8" in invalid.json()["message"]
    # Sent as another media type, the webhook's own check names it.
    import time

    from interaction.signatures import sign

    ts = int(time.time())
    raw = client.post(
        f"/api/v1/streams/{stream.public_id}/comment-webhook/",
        data=bad,
        content_type="application/octet-stream",
        HTTP_X_VERACAST_TIMESTAMP=str(ts),
        HTTP_X_VERACAST_SIGNATURE=sign(secret.encode(), ts, bad),
    )
    assert (raw.status_code, raw.json()["code"]) == (400, "invalid_utf8")

    broken = post_signed(client, stream, secret, body=b'{"id": ')
    assert (broken.status_code, broken.json()["code"]) == (400, "malformed_json")
    assert not Comment.objects.filter(stream=stream).exists()
