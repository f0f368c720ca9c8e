"""The comment webhook's workflow: size, signature, encoding, shape, replays, rate limits, then one transaction that
stores every comment and room sample of the request with their ledger events (docs/live-interaction.md).

Each refusal is a DomainError with a stable code and a sentence; nothing of a refused request is stored and nothing
of an accepted one is dropped. Deciding what to do with a comment (moderation, FAQ matching) happens after commit
(interaction.tasks.decide_comments), so a flood is taken at the speed of the database, not of the matcher."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import EventSpec, record_events
from common import safejson
from common.api import DomainError
from interaction import rate_limits
from interaction.author_hash import hash_author
from interaction.models import Comment, RoomSample
from interaction.signatures import SignatureError, check_signature
from interaction.webhook_secrets import open_webhook_secret
from streaming.models import Stream

MAX_BODY_BYTES = 1024 * 1024
MAX_MESSAGES = 100
MAX_TEXT = 500
MAX_ID = 128
MAX_VIEWERS = 1_000_000_000
EVENT_TYPES = ("follow", "like", "gift", "order")
PLATFORMS = ("douyin", "kuaishou", "taobao", "wechat_channels", "simulator")


class RateLimitedError(DomainError):
    def __init__(self, retry_after: int, scope: str) -> None:
        what = "this stream" if scope == "stream" else "one viewer"
        super().__init__(
            f"Too many comments for {what}; nothing of this request was stored. Retry after {retry_after} s.",
            code="rate_limited",
            status_code=429,
        )
        self.retry_after = retry_after


@dataclass(frozen=True)
class Accepted:
    comment_ids: list[int]
    room_samples: int


def _bad(code: str, message: str, status: int = 400) -> DomainError:
    return DomainError(message, code=code, status_code=status)


def _time(value: Any, field: str) -> datetime:
    if isinstance(value, bool):
        raise _bad("invalid_message", f"{field} must be an ISO 8601 time or Unix seconds.")
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(float(value), tz=UTC)
        except (OverflowError, OSError, ValueError):
            raise _bad("invalid_message", f"{field} is not a time.") from None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise _bad("invalid_message", f"{field} must be an ISO 8601 time or Unix seconds.") from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise _bad("invalid_message", f"{field} must be an ISO 8601 time or Unix seconds.")


def _one_line(value: str) -> str:
    # Control characters would break the feed and the ledger's reading (and PostgreSQL refuses NUL in text).
    return "".join(" " if (ord(ch) < 32 or ord(ch) == 127) else ch for ch in value)


def _id(value: Any) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value) or len(str(value)) > MAX_ID:
        raise _bad("invalid_message", f"Every message needs an id of 1 to {MAX_ID} characters.")
    if str(value) != _one_line(str(value)):
        raise _bad("invalid_message", "A message id has no control characters.")
    return str(value)


def _events(value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > 20:
        raise _bad("invalid_message", "events must be a list of at most 20 events.")
    out = []
    for event in value:
        if not isinstance(event, dict) or event.get("type") not in EVENT_TYPES:
            raise _bad("invalid_message", "Each event's type is follow, like, gift or order.")
        count = event.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 1_000_000:
            raise _bad("invalid_message", "An event's count is a whole number from 1 to 1,000,000.")
        item = event.get("item", "")
        if not isinstance(item, str) or len(item) > 100:
            raise _bad("invalid_message", "An event's item is text of at most 100 characters.")
        out.append({"type": event["type"], "count": count, "item": _one_line(item)})
    return out


def _text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _bad("invalid_message", "A comment's text must be a string.")
    if len(value) > MAX_TEXT:
        raise _bad("comment_too_long", f"A comment has at most {MAX_TEXT} characters.", 413)
    return _one_line(value).strip()  # a comment is one line


def _has_lone_surrogate(value: Any) -> bool:
    """JSON's \\uXXXX escapes can spell a lone surrogate, which no UTF-8 column, hash or ledger line can hold."""
    stack = [value]
    while stack:  # safejson has already bounded the depth
        item = stack.pop()
        if isinstance(item, str):
            if any("\ud800" <= ch <= "\udfff" for ch in item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def parse_messages(body: bytes) -> list[dict[str, Any]]:
    """The request's messages, or a 4xx with the reason."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _bad("invalid_utf8", f"The body is not valid UTF-8 (byte {exc.start}).") from None
    try:
        data = safejson.loads(text)
    except safejson.MalformedJSONError as exc:
        raise _bad("malformed_json", str(exc)) from None
    if _has_lone_surrogate(data):
        raise _bad(
            "invalid_unicode",
            "The body escapes half of a UTF-16 surrogate pair (such as \\ud800 alone); text must be valid Unicode.",
        )
    messages = data.get("messages") if isinstance(data, dict) and "messages" in data else [data]
    if not isinstance(messages, list) or not messages:
        raise _bad("invalid_message", 'Send one message object, or {"messages": [...]}.')
    if len(messages) > MAX_MESSAGES:
        raise _bad("too_many_messages", f"At most {MAX_MESSAGES} messages per request.", 413)
    for message in messages:
        if not isinstance(message, dict) or message.get("type", "comment") not in ("comment", "room"):
            raise _bad("invalid_message", "Each message is an object of type comment or room.")
    return messages


def ingest_webhook(
    *, stream: Stream, body: bytes, timestamp: str | None, signature: str | None, now: float | None = None
) -> Accepted:
    """Check and store one signed webhook request for `stream`."""
    if len(body) > MAX_BODY_BYTES:
        raise _bad("body_too_large", "The body is larger than 1 MB; send at most 100 comments per request.", 413)
    if stream.state == Stream.State.ENDED:
        raise _bad("stream_over", "This stream has ended; it takes no more comments.", 409)
    if not timestamp or not signature:
        # Before the secret is looked up: an unsigned request learns nothing about the stream's set-up.
        raise _bad(
            "signature_missing", "Sign the request: X-Veracast-Timestamp and X-Veracast-Signature are required.", 401
        )
    secret = open_webhook_secret(stream)
    if secret is None:
        raise _bad("no_webhook_secret", "This stream has no webhook secret; issue one first.", 409)
    try:
        check_signature(
            secret=secret, timestamp=timestamp, signature=signature, body=body, now=time.time() if now is None else now
        )
    except SignatureError as exc:
        raise _bad(exc.code, exc.message, 401) from None
    return store_messages(stream=stream, messages=parse_messages(body))


def store_messages(*, stream: Stream, messages: list[dict[str, Any]]) -> Accepted:
    """Store already-authenticated messages (the webhook after its checks; the simulator and connectors in-process)."""
    received = timezone.now()
    comments: list[Comment] = []
    samples: list[RoomSample] = []
    seen: set[str] = set()
    for message in messages:
        external = _id(message.get("id"))
        if external in seen:
            raise _bad("replayed", f"Message id {external} appears twice in this request.", 409)
        seen.add(external)
        if message.get("type", "comment") == "room":
            viewers = message.get("viewers")
            orders = message.get("orders_per_minute")
            if viewers is not None and (
                not isinstance(viewers, int) or isinstance(viewers, bool) or not 0 <= viewers <= MAX_VIEWERS
            ):
                raise _bad("invalid_message", f"viewers is a whole number from 0 to {MAX_VIEWERS:,}.")
            if orders is not None and (
                not isinstance(orders, int | float) or isinstance(orders, bool) or not 0 <= orders < 1e9
            ):
                raise _bad("invalid_message", "orders_per_minute is a number, 0 or more.")
            samples.append(
                RoomSample(
                    stream=stream,
                    external_id=external,
                    at=_time(message.get("at", received.timestamp()), "at"),
                    viewers=viewers,
                    orders_per_minute=orders,
                )
            )
            continue
        author = message.get("author_id")
        if not isinstance(author, str | int) or isinstance(author, bool) or not str(author) or len(str(author)) > 128:
            raise _bad("invalid_message", "Every comment needs an author_id of 1 to 128 characters.")
        platform = message.get("platform", stream.platform)
        if platform not in PLATFORMS:
            raise _bad("invalid_message", f"platform is one of {', '.join(PLATFORMS)}.")
        comments.append(
            Comment(
                stream=stream,
                external_id=external,
                platform=platform,
                author_hash=hash_author(
                    organisation_id=stream.organisation_id, platform=platform, author_id=str(author)
                ),
                text=_text(message.get("text")),
                events=_events(message.get("events")),
                sent_at=_time(message.get("sent_at", received.timestamp()), "sent_at"),
                received_at=received,
            )
        )
    replayed = set(
        Comment.objects.filter(stream=stream, external_id__in=[c.external_id for c in comments]).values_list(
            "external_id", flat=True
        )
    ) | set(
        RoomSample.objects.filter(stream=stream, external_id__in=[s.external_id for s in samples]).values_list(
            "external_id", flat=True
        )
    )
    if replayed:
        raise _bad("replayed", f"Already received: {', '.join(sorted(replayed)[:5])}. Nothing was stored.", 409)
    refusal = rate_limits.take(stream_id=stream.pk, author_hashes=[c.author_hash for c in comments])
    if refusal is not None:
        raise RateLimitedError(refusal.retry_after, refusal.scope)
    try:
        with transaction.atomic():
            Comment.objects.bulk_create(comments)
            RoomSample.objects.bulk_create(samples)
            record_events(
                events=[
                    EventSpec(
                        kind="interaction.comment_received",
                        subject=stream.subject,
                        payload={
                            "stream": str(stream.public_id),
                            "comment": str(c.public_id),
                            "platform": c.platform,
                            "author": c.author_hash,
                            "text": c.text,
                            "events": c.events,
                            "sent_at": c.sent_at.isoformat(),
                        },
                        actor="system",
                        organisation=stream.organisation,
                    )
                    for c in comments
                ]
            )
            ids = [c.pk for c in comments]
            if ids:
                from interaction.tasks import decide_comments

                task: Any = decide_comments  # Celery's Task stubs lack delay_on_commit
                task.delay_on_commit(ids)
    except IntegrityError:
        # Two deliveries of one id raced past the check above: the database's constraint refuses the later one.
        raise _bad("replayed", "A message of this request was already received. Nothing was stored.", 409) from None
    return Accepted(comment_ids=ids, room_samples=len(samples))
