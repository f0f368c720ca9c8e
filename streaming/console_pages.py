"""The operator console page /streams/<id>/console/ and its server-sent event stream (docs/operator-console.md).

The page is static HTML plus streaming/static/streaming/operator_console.js (the CSP forbids inline script): the
script sends a heartbeat every few seconds, posts the controls to the operator API (streaming/operator_api.py) and
renders the snapshot of streaming.console_selectors it receives over server-sent events, or by polling when the
event stream drops. Each event-stream response lasts a bounded time (a WSGI worker is not held for hours) and the
browser's EventSource reconnects on its own.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.db import close_old_connections
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from accounts.models import User
from streaming import console_selectors
from streaming import stream_selectors as selectors
from streaming.models import Stream

HEARTBEAT_EVERY_S = 5
POLL_EVERY_S = 3
EVENT_STREAM_SECONDS = 25
EVENT_CHECK_EVERY_S = 1.0
# The live runner serves the preview playlist under this URL name (kwargs public_id); until it exists the console
# says there is no preview yet.
LIVE_PLAYLIST_URL_NAME = "catalog-api:stream-live-playlist"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def live_playlist_url(stream: Stream) -> str | None:
    try:
        return reverse(LIVE_PLAYLIST_URL_NAME, kwargs={"public_id": stream.public_id})
    except NoReverseMatch:
        return None


@login_required
def console(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    stream = selectors.get_visible_stream(user, public_id)
    snapshot = console_selectors.console_snapshot(stream, user)
    return render(
        request,
        "streaming/console.html",
        {
            "stream": stream,
            "brand": stream.organisation,
            "snapshot": snapshot,
            "snapshot_json": snapshot,
            "preview_url": live_playlist_url(stream),
            "heartbeat_every_ms": HEARTBEAT_EVERY_S * 1000,
            "poll_every_ms": POLL_EVERY_S * 1000,
        },
    )


def _events(stream: Stream, user: User) -> Iterator[str]:
    yield f"retry: {POLL_EVERY_S * 1000}\n\n"
    last = ""
    deadline = time.monotonic() + EVENT_STREAM_SECONDS
    quiet_since = time.monotonic()
    while time.monotonic() < deadline:
        try:
            snapshot = console_selectors.console_snapshot(stream, user)
        except Stream.DoesNotExist:
            return
        data = json.dumps(snapshot, ensure_ascii=False)
        digest = hashlib.sha256(data.encode("utf-8")).hexdigest()
        if digest != last:
            last = digest
            quiet_since = time.monotonic()
            yield f"event: snapshot\ndata: {data}\n\n"
        elif time.monotonic() - quiet_since > 10:
            # A comment line keeps proxies from closing an idle response.
            quiet_since = time.monotonic()
            yield ": keep-alive\n\n"
        # Between looks the connection is idle, not in a transaction: it holds no lock.
        close_old_connections()
        time.sleep(EVENT_CHECK_EVERY_S)


@login_required
def console_events(request: HttpRequest, public_id: uuid.UUID) -> StreamingHttpResponse:
    user = _user(request)
    stream = selectors.get_visible_stream(user, public_id)
    response = StreamingHttpResponse(_events(stream, user), content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
