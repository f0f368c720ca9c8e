"""An Acme stream with the demo FAQ and a webhook secret, and a signed POST to its webhook."""

from __future__ import annotations

import json
import time
from typing import Any

from django.test import Client

from interaction.signatures import sign


def faq_stream(personas: dict[str, Any], *, live: bool = False) -> tuple[Any, dict[str, Any], str]:
    from interaction.demo_faq import load_demo_faq
    from interaction.webhook_secrets import issue_webhook_secret
    from tests.streaming.streams.helpers import approved_version, new_stream, stream_avatar

    if live:
        from tests.streaming.operators.helpers import live_stream

        stream = live_stream(personas)
    else:
        stream = new_stream(personas, stream_avatar(personas), approved_version(personas))
    faq = load_demo_faq(organisation=personas["acme"], actor=personas["alice"])
    secret = issue_webhook_secret(stream=stream, actor=personas["alice"])
    return stream, faq, secret


def url(stream: Any) -> str:
    return f"/api/v1/streams/{stream.public_id}/comment-webhook/"


def post_signed(
    client: Client,
    stream: Any,
    secret: str,
    payload: Any = None,
    *,
    body: bytes | None = None,
    timestamp: int | None = None,
    signature: str | None = None,
) -> Any:
    raw = body if body is not None else json.dumps(payload, ensure_ascii=False).encode()
    ts = int(time.time()) if timestamp is None else timestamp
    return client.post(
        url(stream),
        data=raw,
        content_type="application/json",
        HTTP_X_VERACAST_TIMESTAMP=str(ts),
        HTTP_X_VERACAST_SIGNATURE=signature or sign(secret.encode(), ts, raw),
    )


def comment(id: str, text: str, author: str = "viewer-1", **extra: Any) -> dict[str, Any]:
    return {"type": "comment", "id": id, "author_id": author, "text": text, **extra}
