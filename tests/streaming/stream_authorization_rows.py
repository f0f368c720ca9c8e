"""Rows for tests/api/test_authorization_matrix.py covering the stream API (merged there with
`MATRIX.update(stream_rows(Row, _statuses))`).

The rows address a REAL draft stream of Acme (`ctx["streams"]`) of the render rows' avatar, with an empty playlist.
Acme's members and platform readers read (200); alice (owner) changes and schedules it (200) and a malformed body
to create one is 400, while bob (operator), victor, audrey, staff and paula are refused (403). Ending: alice and bob
(an operator) may (200). Going live: alice and bob reach the checks (409: the stream is not scheduled, the playlist
is empty), everyone else at Acme is refused by role (403). charlie (Globex) and iris meet Acme's ids as 404.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any


class StreamContext:
    def __init__(self, ctx: dict[str, Any]) -> None:
        import uuid

        from django.utils import timezone

        from streaming.models import Stream
        from streaming.stream_keys import seal_stream_key
        from tests.render.authorization_rows import _render

        public_id = uuid.uuid4()
        now = timezone.now()
        self.stream = Stream.objects.create(
            public_id=public_id,
            organisation=ctx["acme"],
            title="Matrix",
            avatar=_render(ctx).avatar,
            platform="douyin",
            rtmp_url="rtmp://127.0.0.1/live",
            stream_key_ciphertext=seal_stream_key(stream_public_id=str(public_id), key="matrix-key-0001"),
            stream_key_last4="0001",
            starts_at=now + timedelta(hours=1),
            stops_at=now + timedelta(hours=2),
        )


def _streams(ctx: dict[str, Any]) -> StreamContext:
    if "streams" not in ctx:
        ctx["streams"] = StreamContext(ctx)
    found: StreamContext = ctx["streams"]
    return found


def stream_rows(row: Callable[..., Any], statuses: Callable[..., dict[str, int]]) -> dict:
    acme = {"kwargs": lambda ctx: {"public_id": ctx["acme"].public_id}}
    stream = {"kwargs": lambda ctx: {"stream_id": str(_streams(ctx).stream.public_id)}}
    media = {"kwargs": lambda ctx: {"public_id": _streams(ctx).stream.public_id}}
    read = statuses(200, charlie=404, iris=404)
    unassigned = statuses(403, charlie=404, iris=404)

    def write(status: int, **more: int) -> dict[str, int]:
        return statuses(403, alice=status, charlie=404, iris=404, **more)

    return {
        ("catalog-api:streams", "GET"): row(read, **acme),
        # Licence usage CSV: the brand's readers (its own); an influencer's own usage, for her only (404 otherwise).
        ("catalog-api:brand-licence-usage", "GET"): row(read, **acme),
        ("catalog-api:my-licence-usage", "GET"): row(statuses(404, iris=200)),
        ("catalog-api:streams", "POST"): row(write(400), body=lambda ctx, p: {"title": f"{p} stream"}, **acme),
        ("catalog-api:stream-detail", "GET"): row(read, **stream),
        ("catalog-api:stream-detail", "PATCH"): row(write(200), body=lambda ctx, p: {"title": f"{p} title"}, **stream),
        ("catalog-api:stream-schedule", "POST"): row(write(200), **stream),
        ("catalog-api:stream-state", "POST"): row(
            write(200, bob=200), body=lambda ctx, p: {"to": "ended", "reason": f"{p} ends it"}, **stream
        ),
        ("catalog-api:stream-go-live-options", "POST"): row(write(409, bob=409), **stream),
        ("catalog-api:stream-go-live", "POST"): row(
            write(409, bob=409), body=lambda ctx, p: {"credential": {"id": "x"}}, **stream
        ),
        # The operator console: readers see it; acting needs an ASSIGNED operator, and the matrix stream has none, so
        # every write at Acme is refused by role (403); the presence timeout is the brand's writers' setting.
        ("catalog-api:stream-console", "GET"): row(read, **stream),
        ("catalog-api:stream-interjections", "GET"): row(read, **stream),
        ("catalog-api:stream-heartbeat", "POST"): row(unassigned, **stream),
        ("catalog-api:stream-interjections", "POST"): row(
            unassigned, body=lambda ctx, p: {"text": f"{p} says hello", "at_once": False}, **stream
        ),
        ("catalog-api:stream-takeover", "POST"): row(unassigned, body=lambda ctx, p: {"reason": p}, **stream),
        ("catalog-api:stream-hand-back", "POST"): row(unassigned, **stream),
        ("catalog-api:stream-operator-state", "POST"): row(
            unassigned, body=lambda ctx, p: {"to": "paused", "reason": f"{p} pauses"}, **stream
        ),
        ("catalog-api:stream-presence-timeout", "PUT"): row(write(200), body=lambda ctx, p: {"seconds": 30}, **stream),
        # The stream's media: nothing was published, so readers meet 404 from the playlist, outsiders from the stream.
        ("catalog-api:stream-live-playlist", "GET"): row(statuses(404), **media),
        ("catalog-api:stream-archive-playlist", "GET"): row(statuses(404), **media),
        ("catalog-api:stream-media-file", "GET"): row(
            statuses(404),
            kwargs=lambda ctx: {"public_id": _streams(ctx).stream.public_id, "name": "init.mp4"},
        ),
    }
