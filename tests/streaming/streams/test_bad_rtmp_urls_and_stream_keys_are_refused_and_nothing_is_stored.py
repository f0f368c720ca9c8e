"""A non-RTMP scheme, a private or loopback host under production settings (SSRF) and a stream key with a control
character are each a 400 with a sentence, and no stream row or ledger event is left behind."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import LedgerEvent
from common.api import DomainError
from streaming.models import Stream
from tests.streaming.streams.helpers import approved_version, new_stream, stream_avatar

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value", "code", "allow_private"),
    [
        ("rtmp_url", "http://ingest.example.com/live", "rtmp_scheme_not_allowed", True),
        ("rtmp_url", "rtmp://127.0.0.1/live", "rtmp_host_not_allowed", False),
        ("rtmp_url", "rtmp://10.1.2.3:1935/live", "rtmp_host_not_allowed", False),
        ("rtmp_url", "rtmp://169.254.169.254/live", "rtmp_host_not_allowed", False),
        ("rtmp_url", "rtmp://[::1]/live", "rtmp_host_not_allowed", False),
        ("rtmp_url", "rtmp://localhost/live", "rtmp_host_not_allowed", False),
        ("stream_key", "abc\r\nX-Injected: 1", "invalid_stream_key", True),
        ("stream_key", "abc\x00def", "invalid_stream_key", True),
    ],
)
def test_bad_ingest_input_is_refused(
    personas: dict[str, Any], settings: Any, field: str, value: str, code: str, allow_private: bool
) -> None:
    avatar, version = stream_avatar(personas), approved_version(personas)
    settings.RTMP_ALLOW_PRIVATE = allow_private
    events = LedgerEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        new_stream(personas, avatar, version, **{field: value})
    assert refused.value.status_code == 400
    assert refused.value.code == code
    assert str(refused.value.detail)
    assert not Stream.objects.exists()
    assert LedgerEvent.objects.count() == events


def test_a_private_host_is_allowed_in_development(personas: dict[str, Any], settings: Any) -> None:
    settings.RTMP_ALLOW_PRIVATE = True
    stream = new_stream(personas, stream_avatar(personas), approved_version(personas), rtmp_url="rtmp://127.0.0.1/live")
    assert stream.rtmp_url == "rtmp://127.0.0.1/live"
