"""The lease row a live runner holds on its stream.

Every comparison with time is made by PostgreSQL (`Now()`), never by the worker: two workers with skewed clocks
agree on whether a lease has lapsed, so a worker whose clock runs ahead cannot steal a live lease and one whose
clock runs behind cannot keep a dead one alive. A claim is one conditional UPDATE (free or lapsed → mine, with a
fresh token): of two workers racing for the same stream exactly one row update succeeds.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import F, Q
from django.db.models.functions import Now

from streaming.models import Stream, StreamLease


@dataclass(frozen=True)
class Claim:
    stream_id: int
    token: uuid.UUID
    holder: str
    claims: int  # how many times this stream's lease was claimed, this one included (1: the first runner)


def ensure_lease_row(stream: Stream) -> None:
    StreamLease.objects.get_or_create(stream=stream)


def claim_lease(*, stream_id: int, holder: str, seconds: int) -> Claim | None:
    """Take the stream's lease if nobody holds it or the holder's lapsed; None when a live holder has it."""
    token = uuid.uuid4()
    taken = StreamLease.objects.filter(Q(token__isnull=True) | Q(expires_at__lt=Now()), stream_id=stream_id).update(
        holder=holder[:200], token=token, expires_at=Now() + timedelta(seconds=seconds), claims=F("claims") + 1
    )
    if not taken:
        return None
    claims = StreamLease.objects.filter(stream_id=stream_id).values_list("claims", flat=True).get()
    return Claim(stream_id=stream_id, token=token, holder=holder, claims=claims)


def renew_lease(claim: Claim, *, seconds: int, **state: Any) -> bool:
    """Extend the lease (and save the runner's hand-over state); False when it is no longer ours (it lapsed and
    another worker claimed it: a new token): the caller must stop at once, publishing nothing more. A lease that
    lapsed but that nobody claimed is still ours: the token, not the clock, says who holds it."""
    return bool(
        StreamLease.objects.filter(stream_id=claim.stream_id, token=claim.token).update(
            expires_at=Now() + timedelta(seconds=seconds), **state
        )
    )


def save_lease_state(claim: Claim, **state: Any) -> bool:
    """Save hand-over state without extending the lease (a block appended to the plan)."""
    return bool(StreamLease.objects.filter(stream_id=claim.stream_id, token=claim.token).update(**state))


def release_lease(claim: Claim) -> None:
    """Give the lease up (the stream ended or failed): nobody needs to wait for it to lapse."""
    StreamLease.objects.filter(stream_id=claim.stream_id, token=claim.token).update(
        holder="", token=None, expires_at=None
    )


def lapsed_stream_ids() -> list[int]:
    """Live or paused streams whose runner held the lease and let it lapse (its worker died or hangs)."""
    return list(
        Stream.objects.filter(
            state__in=(Stream.State.LIVE, Stream.State.PAUSED),
            runner_status=Stream.RunnerStatus.RUNNING,
            lease__token__isnull=False,
            lease__expires_at__lt=Now(),
        ).values_list("pk", flat=True)
    )
