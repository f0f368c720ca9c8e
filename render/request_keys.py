"""One submit, one piece of work: the request key that a start form or an API client sends with a request that queues
work (an avatar build, a render, a short video).

A page puts a fresh key in each form it shows (a hidden field), so a double-clicked "start" or a form sent again after
a flaky connection finds the first request's object instead of queueing a second build. API clients send the same
thing as the `Idempotency-Key` header (a UUID, as Stripe and the IETF draft name it). The key is a unique column on the
object, so two racing submits meet the unique index and the second returns the first one's object.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from drf_spectacular.utils import OpenApiParameter

from common.api import DomainError

IDEMPOTENCY_HEADER = "Idempotency-Key"

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    name=IDEMPOTENCY_HEADER,
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "A UUID the client makes for this request: sending it again (a retry) returns the object the first request "
        "made instead of queueing the work twice. 400 `invalid_request_key` for anything but a UUID; 409 "
        "`request_key_used` when the key was used for other work."
    ),
)

M = TypeVar("M", bound=models.Model)


def parse_request_key(value: str | None) -> uuid.UUID | None:
    """None when the request carries no key; a clear 400 for one that is not a UUID (a typo would else queue twice)."""
    if value is None or value == "":
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise DomainError(
            "The request key must be a UUID, e.g. 1b4e28ba-2fa1-11d2-883f-0016d3cca427.",
            code="invalid_request_key",
            status_code=400,
        ) from None


def header_request_key(headers: Any) -> uuid.UUID | None:
    return parse_request_key(headers.get(IDEMPOTENCY_HEADER))


def earlier_with_key(model: type[M], key: uuid.UUID | None, *, same_work: Callable[[M], bool]) -> M | None:
    """The object a request with this key made, when it is the same kind of work; a key reused elsewhere is a 409."""
    if key is None:
        return None
    earlier = model._default_manager.filter(request_key=key).first()
    if earlier is not None and not same_work(earlier):
        raise DomainError(
            "This request key was already used for other work: send a new one (open the form again).",
            code="request_key_used",
            status_code=409,
        )
    return earlier


def save_once(obj: M, key: uuid.UUID | None, *, same_work: Callable[[M], bool]) -> M | None:
    """Insert `obj` (its `request_key` already set), or return the racing twin's object when the key's unique index
    refuses the insert. Returns None when `obj` was saved. Call inside the caller's transaction."""
    try:
        with transaction.atomic():  # a savepoint: the twin's key makes this insert fail, not the request
            obj.save()
    except IntegrityError:
        earlier = earlier_with_key(type(obj), key, same_work=same_work)
        if earlier is None:
            raise
        return earlier
    return None
