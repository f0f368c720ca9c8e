from __future__ import annotations

import json
from typing import Any

from audit.models import LedgerEvent
from audit.services import record_event
from audit.verify import ZERO_HASH, compute_event_hash, format_timestamp


def test_it_chains_events_of_one_subject(db: Any) -> None:
    first = record_event(kind="stream.started", subject="stream:7", payload={"b": 2, "a": 1}, actor="worker:w1")
    second = record_event(kind="stream.ended", subject="stream:7", payload={}, actor=None)

    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == ZERO_HASH
    assert second.prev_hash == first.hash
    stored = LedgerEvent.objects.get(pk=first.pk)
    assert stored.payload == '{"a":1,"b":2}'
    assert stored.hash == compute_event_hash(
        subject="stream:7",
        seq=1,
        kind="stream.started",
        actor="worker:w1",
        payload_json='{"a":1,"b":2}',
        prev_hash=ZERO_HASH,
        recorded_at=format_timestamp(stored.recorded_at),
    )


def test_each_subject_has_its_own_sequence(db: Any) -> None:
    record_event(kind="k", subject="stream:1", payload={}, actor=None)
    other = record_event(kind="k", subject="stream:2", payload={}, actor=None)
    again = record_event(kind="k", subject="stream:1", payload={}, actor=None)

    assert other.seq == 1
    assert again.seq == 2


def test_it_records_who_acted(db: Any) -> None:
    from accounts.models import User

    alice = User.objects.create_user(email="alice@acme.example", password="alice-password-1")

    by_user = record_event(kind="k", subject="user:x", payload={}, actor=alice)
    by_nobody = record_event(kind="k", subject="user:x", payload={}, actor=None)
    by_worker = record_event(kind="k", subject="user:x", payload={}, actor="worker:render-1")

    assert by_user.actor == f"user:{alice.public_id}"
    assert by_nobody.actor == "system"
    assert by_worker.actor == "worker:render-1"


def test_it_scopes_the_event_to_an_organisation(db: Any) -> None:
    from accounts.models import Organisation

    acme = Organisation.objects.create(name="Acme", slug="acme-ledger")
    event = record_event(
        kind="k", subject=f"organisation:{acme.public_id}", payload={"n": 1}, actor=None, organisation=acme
    )

    assert LedgerEvent.objects.get(pk=event.pk).organisation_id == acme.pk
    assert json.loads(event.payload) == {"n": 1}
    assert event.payload_data == {"n": 1}
