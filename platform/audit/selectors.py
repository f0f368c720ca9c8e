"""Reads of the ledger: who may see which events, inclusion proofs, and the full verification of what is stored."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import QuerySet

from audit.models import Checkpoint, LedgerEvent
from audit.verify import Report, inclusion_path, verify_checkpoints, verify_events

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

# Roles of an organisation's members who may read that organisation's events.
LEDGER_READER_ROLES = ("owner", "auditor")


class NotCheckpointedError(LookupError):
    """The event exists but no checkpoint covers it yet, so there is no signed root to prove it against."""


def can_read_whole_ledger(user: User | AnonymousUser) -> bool:
    return bool(
        user.is_authenticated and user.is_active and (user.is_staff or getattr(user, "is_platform_auditor", False))
    )


def readable_organisation_ids(user: User | AnonymousUser) -> list[int]:
    from accounts.models import Membership

    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user_id=user.pk, role__in=LEDGER_READER_ROLES).values_list(
            "organisation_id", flat=True
        )
    )


def may_read_ledger(user: User | AnonymousUser) -> bool:
    return can_read_whole_ledger(user) or bool(readable_organisation_ids(user))


def list_events_for(
    user: User | AnonymousUser, *, subject: str | None = None, kind: str | None = None
) -> QuerySet[LedgerEvent]:
    """Events `user` may read, newest first: everything for staff and platform auditors, otherwise the events of
    the organisations where the user is owner or auditor (none for anyone else)."""
    events = LedgerEvent.objects.all()
    if not can_read_whole_ledger(user):
        events = events.filter(organisation_id__in=readable_organisation_ids(user))
    if subject:
        events = events.filter(subject=subject)
    if kind:
        events = events.filter(kind=kind)
    return events.order_by("-id")


def list_checkpoints() -> QuerySet[Checkpoint]:
    return Checkpoint.objects.order_by("-id")


def checkpoint_covering(event_id: int) -> Checkpoint | None:
    return Checkpoint.objects.filter(first_event_id__lte=event_id, last_event_id__gte=event_id).first()


def get_inclusion_proof(event_id: int) -> dict[str, Any]:
    """Proof that event `event_id` is in the Merkle tree of the checkpoint covering it.

    Raises LedgerEvent.DoesNotExist for an unknown id and NotCheckpointedError when no checkpoint covers it yet.
    Check the result with `audit.verify.verify_inclusion_proof(event_hash=..., path=..., root=...)`.
    """
    event = LedgerEvent.objects.get(pk=event_id)
    checkpoint = checkpoint_covering(event.pk)
    if checkpoint is None:
        raise NotCheckpointedError(f"Event {event_id} is not covered by a checkpoint yet.")
    ids_and_hashes = list(
        LedgerEvent.objects.filter(id__gte=checkpoint.first_event_id, id__lte=checkpoint.last_event_id)
        .order_by("id")
        .values_list("id", "hash")
    )
    index = next(i for i, (row_id, _) in enumerate(ids_and_hashes) if row_id == event.pk)
    return {
        "event_id": event.pk,
        "event_hash": event.hash,
        "leaf_index": index,
        "tree_size": len(ids_and_hashes),
        "path": inclusion_path([h for _, h in ids_and_hashes], index),
        "root": checkpoint.merkle_root,
        "checkpoint_id": checkpoint.pk,
        "checkpoint": checkpoint_as_dict(checkpoint),
    }


def checkpoint_as_dict(checkpoint: Checkpoint) -> dict[str, Any]:
    from audit.verify import format_timestamp

    return {
        "id": checkpoint.pk,
        "first_event_id": checkpoint.first_event_id,
        "last_event_id": checkpoint.last_event_id,
        "event_count": checkpoint.event_count,
        "merkle_root": checkpoint.merkle_root,
        "prev_checkpoint_hash": checkpoint.prev_checkpoint_hash,
        "hash": checkpoint.hash,
        "key_id": checkpoint.key_id,
        "signature": checkpoint.signature,
        "created_at": format_timestamp(checkpoint.created_at),
    }


_EVENT_COLUMNS = ("id", "subject", "seq", "kind", "actor", "payload", "prev_hash", "hash", "recorded_at")
# The columns of a checkpoint as the ledger export and the ledger API show them.
CHECKPOINT_COLUMNS = (
    "id",
    "first_event_id",
    "last_event_id",
    "event_count",
    "merkle_root",
    "prev_checkpoint_hash",
    "hash",
    "key_id",
    "signature",
    "created_at",
)


def iter_event_rows(chunk: int = 20_000) -> Iterator[dict[str, Any]]:
    """Every event as a plain dict, ascending id, read in keyset pages (no ORM objects: this is the fast path)."""
    after = 0
    columns = ", ".join(_EVENT_COLUMNS)
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f"SELECT {columns} FROM audit_ledgerevent WHERE id > %s ORDER BY id LIMIT %s",  # noqa: S608
                [after, chunk],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            for row in rows:
                item = dict(zip(_EVENT_COLUMNS, row, strict=True))
                item["recorded_at"] = _as_aware(item["recorded_at"])
                yield item
            after = rows[-1][0]


def iter_checkpoint_rows() -> Iterator[dict[str, Any]]:
    for row in Checkpoint.objects.order_by("id").values(*CHECKPOINT_COLUMNS):
        yield dict(row)


def _as_aware(value: Any) -> Any:
    # Raw SQLite cursors hand back naive UTC datetimes (or strings); PostgreSQL gives aware ones.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def verify_stored_ledger(*, public_keys: dict[str, bytes] | None = None) -> Report:
    """Recompute every chain, every checkpoint's Merkle root and signature, and the checkpoint chain."""
    from audit.keys import load_public_keys

    keys = public_keys if public_keys is not None else load_public_keys()
    report = Report()
    hashes = verify_events(iter_event_rows(), report)
    verify_checkpoints(iter_checkpoint_rows(), hashes, keys, report)
    return report
