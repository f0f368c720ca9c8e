"""Headers arrive as Latin-1 text: "²" passes str.isdigit() but is no Unix time, and hmac.compare_digest raises on
non-ASCII text instead of answering "no". Both are a 401 with the reason, never a 500."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.test import Client

from interaction.models import Comment
from interaction.signatures import sign
from tests.interaction.helpers import comment, faq_stream, url

pytestmark = pytest.mark.django_db


def test_odd_signature_headers_are_refused(personas: dict[str, Any]) -> None:
    stream, _faq, secret = faq_stream(personas)
    client = Client(raise_request_exception=False)
    body = json.dumps(comment("h-1", "hello")).encode()
    now = str(int(time.time()))
    cases = {
        ("\u00b2", sign(secret.encode(), now, body)): "invalid_timestamp",
        ("-5", sign(secret.encode(), now, body)): "invalid_timestamp",
        (now, "sha256=\u00e9" + "0" * 63): "bad_signature",
    }
    for (timestamp, signature), code in cases.items():
        response = client.post(
            url(stream),
            data=body,
            content_type="application/json",
            HTTP_X_VERACAST_TIMESTAMP=timestamp,
            HTTP_X_VERACAST_SIGNATURE=signature,
        )
        assert (response.status_code, response.json()["code"]) == (401, code), timestamp
    assert not Comment.objects.filter(stream=stream).exists()
