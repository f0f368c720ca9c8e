"""Only rtmp:// and rtmps:// ingest URLs with a host, an application and a stream key are accepted; spaces and control
characters are refused; production settings also refuse loopback and private hosts (SSRF). The masked form, the only
one ever logged or put in an error, hides the key, the query and any credentials."""

from __future__ import annotations

import pytest

from streaming.live import RtmpUrlError, mask_rtmp_url, validate_rtmp_url


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://live.example.com/live/sk_live_123", "scheme"),
        ("rtsp://live.example.com/live/sk_live_123", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("rtmp:///live/sk_live_123", "host"),
        ("rtmp://live.example.com/live", "stream_key"),
        ("rtmp://live.example.com/live/sk\x07live", "control_characters"),
        ("rtmp://live.example.com/live/sk live", "control_characters"),
        ("rtmp://live.example.com:99999/live/sk_live_123", "malformed"),
        ("", "missing"),
    ],
)
def test_a_bad_url_is_refused_with_a_reason_that_hides_the_key(url: str, code: str) -> None:
    with pytest.raises(RtmpUrlError) as refused:
        validate_rtmp_url(url)
    assert refused.value.code == code
    assert "sk_live_123" not in str(refused.value)
    assert "sk\x07live" not in str(refused.value)


@pytest.mark.parametrize(
    "url",
    [
        "rtmp://127.0.0.1/live/key123",
        "rtmp://10.1.2.3:1935/live/key123",
        "rtmp://192.168.0.9/live/key123",
        "rtmp://169.254.169.254/live/key123",
        "rtmp://[::1]/live/key123",
        "rtmp://localhost/live/key123",
    ],
)
def test_production_settings_refuse_private_and_loopback_hosts(url: str) -> None:
    assert validate_rtmp_url(url) == url  # development and tests push to a local nginx
    with pytest.raises(RtmpUrlError) as refused:
        validate_rtmp_url(url, allow_private_hosts=False)
    assert refused.value.code == "private_host"
    assert "key123" not in str(refused.value)


def test_public_rtmp_and_rtmps_ingests_are_accepted() -> None:
    for url in ("rtmp://push.example.com/live/sk_1?auth=abc", "rtmps://1.1.1.1:443/app/stream/key"):
        assert validate_rtmp_url(url, allow_private_hosts=False) == url


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("rtmp://push.example.com/live/sk_live_123", "rtmp://push.example.com/live/****"),
        ("rtmp://push.example.com:1935/live/sk_live_123?auth=tok", "rtmp://push.example.com:1935/live/****"),
        ("rtmps://user:pw@push.example.com/app/a/b", "rtmps://****@push.example.com/app/****"),
        ("rtmp://push.example.com/live", "rtmp://push.example.com/live"),
        ("not a url with a key", "<****>"),
    ],
)
def test_the_masked_url_shows_where_but_never_the_key(url: str, masked: str) -> None:
    assert mask_rtmp_url(url) == masked
