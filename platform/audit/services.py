"""Writes to the ledger: `record_event` (and its batched form) and `create_checkpoint`.

Every capability that changes something calls `record_event` inside the transaction of its own write, so the event
and the write commit or roll back together. The append path is raw SQL because it is the hottest write in the
platform; the hash rules it follows are the ones in `audit.verify`, which the verifier re-applies.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from audit.models import Checkpoint, LedgerEvent
from audit.verify import (
    ZERO_HASH,
    InvalidPayloadError,
    canonical_payload,
    checkpoint_body,
    event_hash_fragments,
    format_timestamp,
    merkle_root,
)

if TYPE_CHECKING:
    from accounts.models import Organisation, User

__all__ = [
    "EventSpec",
    "InvalidEventError",
    "InvalidPayloadError",
    "create_checkpoint",
    "record_event",
    "record_events",
]

SYSTEM_ACTOR = "system"
# Appenders hold this advisory lock shared and the checkpoint barrier takes it exclusive (see _checkpoint_barrier).
CHECKPOINT_LOCK_KEY = 0x7665726163617374  # "veracast"
_SUBJECT_RE = re.compile(r"^[a-z][a-z0-9_.-]*:\S+$")
# PostgreSQL allows 65,535 bind parameters per statement and an event row takes 9.
_INSERT_CHUNK = 1000
# The order in which _stored_event hands values to LedgerEvent.from_db: the model's own field order, checked here so
# that a new field cannot silently shift the values into the wrong attributes.
_EVENT_FIELDS = (
    "id",
    "subject",
    "seq",
    "kind",
    "actor",
    "payload",
    "prev_hash",
    "hash",
    "recorded_at",
    "organisation_id",
)
if tuple(f.attname for f in LedgerEvent._meta.concrete_fields) != _EVENT_FIELDS:
    raise RuntimeError("LedgerEvent's fields changed: update audit.services._EVENT_FIELDS and _stored_event.")


class InvalidEventError(ValueError):
    """The subject, kind or actor of an event is malformed."""


@dataclass(frozen=True)
class EventSpec:
    """One event to append with `record_events`; the fields mean what `record_event`'s arguments mean."""

    kind: str
    subject: str
    payload: Mapping[str, Any] = field(default_factory=dict)
    actor: User | str | None = None
    organisation: Organisation | None = None


class _Prepared(NamedTuple):  # a NamedTuple, not a dataclass: built once per event on the hot path
    subject: str
    kind: str
    actor: str
    payload_json: str
    organisation_id: int | None


def _actor_string(actor: User | str | None) -> str:
    if actor is None:
        return SYSTEM_ACTOR
    if isinstance(actor, str):
        value = actor
    else:
        ledger_actor = getattr(actor, "ledger_actor", None)
        if not isinstance(ledger_actor, str):
            raise InvalidEventError(f"An actor must be a User, a string or None, not {type(actor).__name__}.")
        value = ledger_actor
    if not value or len(value) > 200 or value != value.strip():
        raise InvalidEventError(f"Invalid actor {value!r}: a non-empty string of at most 200 characters.")
    return value


def _prepare(spec: EventSpec) -> _Prepared:
    if not isinstance(spec.subject, str) or len(spec.subject) > 200 or not _SUBJECT_RE.match(spec.subject):
        raise InvalidEventError(
            f"Invalid subject {spec.subject!r}: expected '<type>:<id>' such as 'consent:<uuid>' (at most 200 chars)."
        )
    if not isinstance(spec.kind, str) or not spec.kind or len(spec.kind) > 100 or spec.kind != spec.kind.strip():
        raise InvalidEventError(f"Invalid kind {spec.kind!r}: a non-empty string of at most 100 characters.")
    organisation_id = None
    if spec.organisation is not None:
        organisation_id = spec.organisation.pk
        if organisation_id is None:
            raise InvalidEventError("The organisation of an event must be saved first.")
    return _Prepared(
        subject=spec.subject,
        kind=spec.kind,
        actor=_actor_string(spec.actor),
        payload_json=canonical_payload(spec.payload),
        organisation_id=organisation_id,
    )


@contextmanager
def _dooming_the_caller_on_failure() -> Iterator[None]:
    """If the append fails, the caller's transaction must not commit its write without the event: mark it for
    rollback even if the caller catches the exception."""
    try:
        yield
    except BaseException:
        if connection.in_atomic_block:
            transaction.set_rollback(True)
        raise


def record_event(
    *,
    kind: str,
    subject: str,
    payload: Mapping[str, Any],
    actor: User | str | None,
    organisation: Organisation | None = None,
) -> LedgerEvent:
    """Append one event to the chain of `subject`, in the caller's transaction.

    Call it inside the transaction.atomic() block of the write it describes: the event commits with that write or
    not at all. If the append fails (a bad payload raises InvalidPayloadError, a malformed subject/kind/actor
    InvalidEventError, both ValueError), the caller's transaction is marked for rollback even if the exception is
    caught, so a write can never commit without its event.

    `actor` is a User (stored as `user:<public_id>`), a string such as "system" or "worker:<name>", or None
    ("system"). `organisation` scopes the event for the organisation's auditors.
    """
    return record_events(
        events=[EventSpec(kind=kind, subject=subject, payload=payload, actor=actor, organisation=organisation)]
    )[0]


def record_events(*, events: Sequence[EventSpec]) -> list[LedgerEvent]:
    """Append many events at once (same rules as `record_event`), taking each subject's chain lock once.

    Events of one subject are chained in the order given. Returns the saved events in the same order.
    """
    with _dooming_the_caller_on_failure():
        prepared = [_prepare(spec) for spec in events]
        if not prepared:
            return []
        recorded_at = timezone.now()
        if len(prepared) == 1 and connection.vendor == "postgresql":
            # One statement, atomic on its own: no savepoint and, outside a transaction, no BEGIN/COMMIT either.
            # Should it fail inside the caller's transaction, the dooming above marks that transaction for rollback.
            return [_append_one_postgresql(prepared[0], recorded_at)]
        # savepoint=False: a savepoint would cost two round trips per call and buy nothing, since a failed append
        # must take the caller's whole transaction down anyway (the dooming above).
        with transaction.atomic(savepoint=False):
            return _append(prepared, recorded_at)


def _stored_event(
    event_id: int, p: _Prepared, seq: int, prev_hash: str, digest: str, recorded_at: datetime
) -> LedgerEvent:
    # from_db builds the instance positionally (in field order) and marks it as loaded, so that saving it again is
    # refused like any other stored row; several times cheaper than keyword construction in the batched path.
    return LedgerEvent.from_db(
        connection.alias,
        _EVENT_FIELDS,
        (event_id, p.subject, seq, p.kind, p.actor, p.payload_json, prev_hash, digest, recorded_at, p.organisation_id),
    )


def _append_one_postgresql(p: _Prepared, recorded_at: datetime) -> LedgerEvent:
    """One round trip: the database function of migration audit/0003 locks the chain, hashes, inserts, moves the
    head. Python supplies the escaped JSON around the two values only the database knows (prev_hash and seq)."""
    before_prev, before_seq, after_seq = event_hash_fragments(
        subject=p.subject,
        kind=p.kind,
        actor=p.actor,
        payload_json=p.payload_json,
        recorded_at=format_timestamp(recorded_at),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT new_id, new_seq, new_prev_hash, new_hash "
            "FROM audit_append_event(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                CHECKPOINT_LOCK_KEY,
                p.subject,
                p.kind,
                p.actor,
                p.payload_json,
                recorded_at,
                p.organisation_id,
                before_prev,
                before_seq,
                after_seq,
            ],
        )
        event_id, seq, prev_hash, digest = cursor.fetchone()
    return _stored_event(int(event_id), p, int(seq), prev_hash, digest, recorded_at)


def _append(prepared: list[_Prepared], recorded_at: datetime) -> list[LedgerEvent]:
    stamp = format_timestamp(recorded_at)
    is_postgres = connection.vendor == "postgresql"
    subjects = sorted({p.subject for p in prepared})
    with connection.cursor() as cursor:
        if is_postgres:
            # The advisory lock is shared with every other appender; only a checkpoint barrier waits for it (and
            # makes us wait). Then every chain head this batch touches is locked, missing ones created, in subject
            # order so that two batches never deadlock. DO UPDATE (rather than DO NOTHING) takes the row lock even
            # when the row exists, and holds it until the transaction ends: a concurrent appender of the subject
            # waits here. Arrays (unnest) keep the statement text constant, whatever the batch size.
            cursor.execute(
                "WITH barrier AS (SELECT pg_advisory_xact_lock_shared(%s)) "
                "INSERT INTO audit_chainhead AS h (subject, last_seq, last_hash) "
                "SELECT s, 0, %s FROM barrier, unnest(%s::text[]) AS s ORDER BY s "
                "ON CONFLICT (subject) DO UPDATE SET last_seq = h.last_seq "
                "RETURNING subject, last_seq, last_hash",
                [CHECKPOINT_LOCK_KEY, ZERO_HASH, subjects],
            )
        else:
            values = ", ".join(["(%s, 0, %s)"] * len(subjects))
            cursor.execute(
                f"INSERT INTO audit_chainhead (subject, last_seq, last_hash) VALUES {values} "  # noqa: S608 - placeholders only
                "ON CONFLICT (subject) DO UPDATE SET last_seq = audit_chainhead.last_seq "
                "RETURNING subject, last_seq, last_hash",
                [value for subject in subjects for value in (subject, ZERO_HASH)],
            )
        heads: dict[str, tuple[int, str]] = {row[0]: (int(row[1]), row[2]) for row in cursor.fetchall()}

        rows: list[_Row] = []
        sha256 = hashlib.sha256
        for p in prepared:
            last_seq, last_hash = heads[p.subject]
            seq = last_seq + 1
            before_prev, before_seq, after_seq = event_hash_fragments(
                subject=p.subject, kind=p.kind, actor=p.actor, payload_json=p.payload_json, recorded_at=stamp
            )
            digest = sha256(f"{before_prev}{last_hash}{before_seq}{seq}{after_seq}".encode()).hexdigest()
            heads[p.subject] = (seq, digest)
            rows.append(_Row(p, seq, last_hash, digest))

        insert = _insert_postgresql if is_postgres else _insert_portable
        ids = insert(cursor, rows, recorded_at, heads)
    return [
        _stored_event(event_id, r.p, r.seq, r.prev_hash, r.digest, recorded_at)
        for event_id, r in zip(ids, rows, strict=True)
    ]


class _Row(NamedTuple):
    p: _Prepared
    seq: int
    prev_hash: str
    digest: str


def _insert_postgresql(
    cursor: Any, rows: list[_Row], recorded_at: datetime, heads: dict[str, tuple[int, str]]
) -> list[int]:
    """One statement inserts the events and moves the chain heads; returns the new ids in the order of `rows`.

    The arrays go as binary parameters through a server-side-binding cursor on the same connection (so in the same
    transaction): Django's client-side binding renders each array as quoted text, which escapes every element with
    a regular expression and was most of the cost of a large batch.
    """
    import psycopg  # only the PostgreSQL path needs it; the SQLite demo does not

    # Wrapped like any Django cursor, so that errors arrive as django.db exceptions and queries are logged.
    raw: Any = psycopg.Cursor(connection.connection)  # Any: the stubs type the argument below as Django's wrapper
    binary = connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
    with binary:
        binary.execute(
            "WITH inserted AS ("
            " INSERT INTO audit_ledgerevent"
            " (subject, seq, kind, actor, payload, prev_hash, hash, recorded_at, organisation_id)"
            " SELECT s, q, k, a, p, ph, hh, %b, o"
            " FROM unnest(%b::text[], %b::int8[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[],"
            " %b::int8[]) WITH ORDINALITY AS v(s, q, k, a, p, ph, hh, o, n)"
            " ORDER BY n"
            " RETURNING id, subject, seq"
            "), moved AS ("
            " UPDATE audit_chainhead AS h SET last_seq = v.seq, last_hash = v.hash"
            " FROM unnest(%b::text[], %b::int8[], %b::text[]) AS v(subject, seq, hash)"
            " WHERE h.subject = v.subject"
            ") SELECT id, subject, seq FROM inserted",
            [
                recorded_at,
                [r.p.subject for r in rows],
                [r.seq for r in rows],
                [r.p.kind for r in rows],
                [r.p.actor for r in rows],
                [r.p.payload_json for r in rows],
                [r.prev_hash for r in rows],
                [r.digest for r in rows],
                [r.p.organisation_id for r in rows],
                list(heads),
                [seq for seq, _ in heads.values()],
                [digest for _, digest in heads.values()],
            ],
        )
        ids = {(subject, int(seq)): int(event_id) for event_id, subject, seq in binary.fetchall()}
    return [ids[(r.p.subject, r.seq)] for r in rows]


def _insert_portable(
    cursor: Any, rows: list[_Row], recorded_at: datetime, heads: dict[str, tuple[int, str]]
) -> list[int]:
    ids: dict[Any, int] = {}
    db_time = connection.ops.adapt_datetimefield_value(recorded_at)
    for start in range(0, len(rows), _INSERT_CHUNK):
        chunk = rows[start : start + _INSERT_CHUNK]
        placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
        params: list[Any] = []
        for r in chunk:
            p = r.p
            params += [
                p.subject,
                r.seq,
                p.kind,
                p.actor,
                p.payload_json,
                r.prev_hash,
                r.digest,
                db_time,
                p.organisation_id,
            ]
        cursor.execute(
            "INSERT INTO audit_ledgerevent "  # noqa: S608 - placeholders only
            "(subject, seq, kind, actor, payload, prev_hash, hash, recorded_at, organisation_id) "
            f"VALUES {placeholders} RETURNING id, subject, seq",
            params,
        )
        ids.update({(subject, int(seq)): int(event_id) for event_id, subject, seq in cursor.fetchall()})
    cursor.executemany(
        "UPDATE audit_chainhead SET last_seq = %s, last_hash = %s WHERE subject = %s",
        [(seq, digest, subject) for subject, (seq, digest) in heads.items()],
    )
    return [ids[(r.p.subject, r.seq)] for r in rows]


# ---------------------------------------------------------------------------------------------------------------------
# Checkpoints
# ---------------------------------------------------------------------------------------------------------------------


def _checkpoint_barrier() -> int | None:
    """The highest event id below which every event is committed and none can still appear.

    Event ids come from a sequence, so a transaction that took id 10 may commit after one that took id 11; a
    checkpoint cut at 11 would then leave 10 outside every checkpoint forever. Appenders hold an advisory lock
    shared; taking it exclusive here waits for every in-flight append to end, and any append that starts after
    gets an id above what we read. The lock is released at once so appends stall only for that instant.
    """
    if connection.vendor != "postgresql":
        # On SQLite writers are serialised by the database lock, so committed ids are never overtaken.
        return LedgerEvent.objects.order_by("-id").values_list("id", flat=True).first()
    with connection.cursor() as cursor:
        # A session-level lock (not xact) so that it is released here, not at the end of the checkpoint.
        cursor.execute("SELECT pg_advisory_lock(%s)", [CHECKPOINT_LOCK_KEY])
        try:
            # Under READ COMMITTED this statement sees every append that finished while we waited.
            cursor.execute("SELECT max(id) FROM audit_ledgerevent")
            last = cursor.fetchone()[0]
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [CHECKPOINT_LOCK_KEY])
    return int(last) if last is not None else None


@transaction.atomic
def create_checkpoint() -> Checkpoint | None:
    """Sign a Merkle root over every event since the last checkpoint; None when there is nothing new.

    Must not run inside a caller's transaction (the barrier needs its own). Concurrent calls are serialised.
    """
    from audit.keys import load_signing_key

    signing_key = load_signing_key()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # One checkpoint at a time; a second caller then sees the first one's checkpoint.
            cursor.execute("LOCK TABLE audit_checkpoint IN SHARE ROW EXCLUSIVE MODE")
    previous = Checkpoint.objects.order_by("-id").first()
    after = previous.last_event_id if previous else 0
    upto = _checkpoint_barrier()
    if upto is None or upto <= after:
        return None
    rows = list(LedgerEvent.objects.filter(id__gt=after, id__lte=upto).order_by("id").values_list("id", "hash"))
    if not rows:
        return None
    created_at = timezone.now()
    fields: dict[str, Any] = {
        "first_event_id": rows[0][0],
        "last_event_id": rows[-1][0],
        "event_count": len(rows),
        "merkle_root": merkle_root([h for _, h in rows]),
        "prev_checkpoint_hash": previous.hash if previous else ZERO_HASH,
        "key_id": signing_key.key_id,
    }
    body = checkpoint_body(**fields, created_at=format_timestamp(created_at))
    checkpoint = Checkpoint(
        **fields,
        hash=hashlib.sha256(body).hexdigest(),
        signature=signing_key.sign(body).hex(),
        created_at=created_at,
    )
    checkpoint.save()
    return checkpoint
