"""A request signed with another secret, with no signature, or with a timestamp more than five minutes old is
refused with 401 and a reason; nothing is stored."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.test import Client

from interaction.models import Comment
from tests.interaction.helpers import comment, faq_stream, post_signed, url

pytestmark = pytest.mark.django_db


def test_bad_signatures_and_stale_timestamps_are_refused(personas: dict[str, Any]) -> None:
    stream, _faq, secret = faq_stream(personas)
    client = Client()
    payload = comment("m-1", "hello")

    forged = post_signed(client, stream, "0" * 64, payload)
    assert (forged.status_code, forged.json()["code"]) == (401, "bad_signature")

    stale = post_signed(client, stream, secret, payload, timestamp=int(time.time()) - 301)
    assert (stale.status_code, stale.json()["code"]) == (401, "stale_request")

    unsigned = client.post(url(stream), data=json.dumps(payload), content_type="application/json")
    assert (unsigned.status_code, unsigned.json()["code"]) == (401, "signature_missing")
    assert "X-Veracast-Signature" in unsigned.json()["message"]

    # A body changed after signing fails too.
    import interaction.signatures as sig

    ts = int(time.time())
    good = sig.sign(secret.encode(), ts, json.dumps(payload).encode())
    tampered = post_signed(client, stream, secret, comment("m-1", "hello!"), timestamp=ts, signature=good)
    assert tampered.status_code == 401
    assert not Comment.objects.filter(stream=stream).exists()
