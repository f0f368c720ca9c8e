"""The stream key is stored as AES-GCM ciphertext bound to the stream: the row, the ledger and the logs never hold
it in clear, only its last 4; it opens for the runner and not for another stream's id."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from audit.models import LedgerEvent
from streaming.stream_keys import StreamKeyUnavailableError, open_stream_key
from streaming.streams import update_stream
from tests.streaming.streams.helpers import KEY, approved_version, new_stream, stream_avatar

pytestmark = pytest.mark.django_db


def test_the_key_never_leaves_in_clear(personas: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    stream = new_stream(personas, stream_avatar(personas), approved_version(personas))
    stream = update_stream(stream=stream, actor=personas["alice"], changes={"stream_key": "second-key-9876"})

    assert stream.stream_key_last4 == "9876"
    sealed = bytes(stream.stream_key_ciphertext)
    assert b"second-key" not in sealed
    assert KEY.encode() not in sealed
    assert open_stream_key(stream_public_id=str(stream.public_id), sealed=sealed) == "second-key-9876"
    with pytest.raises(StreamKeyUnavailableError):
        open_stream_key(stream_public_id="00000000-0000-0000-0000-000000000000", sealed=sealed)
    for event in LedgerEvent.objects.filter(subject=stream.subject):
        text = event.payload_json if hasattr(event, "payload_json") else str(event.payload_data)
        assert KEY not in text
        assert "second-key" not in text
        assert "abcdWXYZ" not in text
    updated = LedgerEvent.objects.get(subject=stream.subject, kind="stream.updated").payload_data
    assert updated["fields"] == ["stream_key"]
    assert updated["setup"]["stream_key_last4"] == "9876"
    assert "second-key" not in caplog.text
    assert KEY not in caplog.text
