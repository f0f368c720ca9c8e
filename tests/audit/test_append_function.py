"""The one-round-trip append of PostgreSQL (a database function hashes the event) follows the Python hash rules
byte for byte, and its events chain and verify together with those of the batched (Python-hashed) path."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
import rfc8785
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import LedgerEvent
from audit.services import EventSpec, record_event, record_events
from audit.verify import Report, compute_event_hash, format_timestamp, verify_events

pytestmark = pytest.mark.postgres

# NUL is left out of the top-level fields only because PostgreSQL text cannot hold it; inside the payload it is
# escaped (\u0000) and appears below.
TRICKY = [
    "plain",
    'quote" and back\\slash \\" \\\\',
    "controls \x01\x07\x08\x0b\x0e\x1b\x7f",
    "tab\tnewline\nreturn\r formfeed\f backspace\b",
    "中文 émoji 🎥 astral 𝄞 private \ue000 \uffff",
    "line separators \u2028\u2029",
    "slash / percent %s %(x)s dollar $1 $$ quote ' ''",
]


def _python_hash(event: LedgerEvent) -> str:
    return compute_event_hash(
        subject=event.subject,
        seq=event.seq,
        kind=event.kind,
        actor=event.actor,
        payload_json=event.payload,
        prev_hash=event.prev_hash,
        recorded_at=format_timestamp(event.recorded_at),
    )


@pytest.mark.parametrize("text", TRICKY)
def test_the_database_computes_the_python_hash_for_tricky_strings(db: Any, text: str) -> None:
    payload = {"text": text, text: [text, 1, -2.5, None, True], "nul": "\x00", "n": 2**53 - 1, "f": 1e21}
    subject = "stream:" + text.replace(" ", "_").replace("\t", "_").replace("\n", "_").replace("\r", "_")
    subject = "".join(c for c in subject if not c.isspace())

    first = record_event(kind=f"kind {text} end", subject=subject, payload=payload, actor=f"worker:{text} end")
    second = record_event(kind=f"kind {text} end", subject=subject, payload=payload, actor=f"worker:{text} end")

    for event in (first, second):
        stored = LedgerEvent.objects.get(pk=event.pk)
        reference = rfc8785.dumps(
            {
                "actor": f"worker:{text} end",
                "kind": f"kind {text} end",
                "payload": payload,
                "prev_hash": stored.prev_hash,
                "recorded_at": format_timestamp(stored.recorded_at),
                "seq": stored.seq,
                "subject": subject,
            }
        )
        assert stored.hash == hashlib.sha256(reference).hexdigest()
        assert stored.hash == _python_hash(stored) == event.hash
        assert (stored.subject, stored.kind, stored.actor, stored.payload) == (
            event.subject,
            event.kind,
            event.actor,
            event.payload,
        )
    assert (first.seq, second.seq) == (1, 2)
    assert second.prev_hash == first.hash


def test_database_and_python_hashed_events_chain_and_verify_together(db: Any) -> None:
    subjects = [f"stream:mixed-{i}" for i in range(3)]
    for round_ in range(3):
        for subject in subjects:  # one at a time: hashed by the database
            record_event(kind="k", subject=subject, payload={"round": round_, "how": "single", "t": TRICKY}, actor=None)
        record_events(  # a batch: hashed in Python
            events=[
                EventSpec(kind="k", subject=subject, payload={"round": round_, "how": "batch", "i": i})
                for i in range(2)
                for subject in subjects
            ]
        )

    report = Report()
    verify_events(LedgerEvent.objects.order_by("id").values(), report)
    assert report.ok, [p.describe() for p in report.problems[:3]]
    assert report.events_checked == 27
    for subject in subjects:
        assert list(LedgerEvent.objects.filter(subject=subject).order_by("id").values_list("seq", flat=True)) == list(
            range(1, 10)
        )


def test_an_append_inside_a_transaction_is_one_statement_without_savepoints(db: Any) -> None:
    record_event(kind="k", subject="stream:warm", payload={}, actor=None)  # creates the chain head

    with CaptureQueriesContext(connection) as single:
        record_event(kind="k", subject="stream:warm", payload={"a": 1}, actor=None)
    with CaptureQueriesContext(connection) as batch:
        record_events(events=[EventSpec(kind="k", subject="stream:warm", payload={"i": i}) for i in range(5)])

    assert len(single.captured_queries) == 1
    assert "audit_append_event" in single.captured_queries[0]["sql"]
    assert not [q for q in batch.captured_queries if "SAVEPOINT" in q["sql"].upper()]
