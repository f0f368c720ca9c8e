"""Rows for tests/api/test_authorization_matrix.py covering the live-interaction API, on the stream rows' real
draft Acme stream. The webhook takes no session or token: everyone, anonymous included, meets 401 for an unsigned
request. Issuing the webhook secret is the brand's owner's or editor's (201; others at Acme 403). The feed is read
like the stream (200; charlie and iris 404). Answering a comment that does not exist: 404 for every signed-in persona
(the comment lookup comes first; the operator check refuses the rest, tests/interaction)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from tests.streaming.stream_authorization_rows import _streams


def interaction_rows(row: Callable[..., Any], statuses: Callable[..., dict[str, int]]) -> dict:
    stream = {"kwargs": lambda ctx: {"stream_id": str(_streams(ctx).stream.public_id)}}
    missing_comment = {
        "kwargs": lambda ctx: {"stream_id": str(_streams(ctx).stream.public_id), "comment_id": str(uuid.uuid4())}
    }
    read = statuses(200, charlie=404, iris=404)
    unsigned = dict.fromkeys(read, 401)
    return {
        ("interaction-api:comment-webhook", "POST"): row(unsigned, body=lambda ctx, p: {"id": p}, **stream),
        ("interaction-api:comment-webhook-secret", "POST"): row(
            statuses(403, alice=201, charlie=404, iris=404), **stream
        ),
        ("interaction-api:comments", "GET"): row(read, **stream),
        ("interaction-api:host-state", "GET"): row(read, **stream),
        ("interaction-api:comment-answer", "POST"): row(
            statuses(404), body=lambda ctx, p: {"text": "hello"}, **missing_comment
        ),
    }
