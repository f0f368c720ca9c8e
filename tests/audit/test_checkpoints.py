from __future__ import annotations

import hashlib
from io import StringIO
from typing import Any

from django.core.management import call_command

from audit.keys import load_public_keys
from audit.models import Checkpoint, LedgerEvent
from audit.services import create_checkpoint, record_event
from audit.tasks import create_checkpoint_task
from audit.verify import ZERO_HASH, checkpoint_body_of, merkle_root, verify_signature


def _append(n: int, subject: str = "stream:1") -> None:
    for i in range(n):
        record_event(kind="k", subject=subject, payload={"i": i}, actor=None)


def test_nothing_is_signed_without_new_events(db: Any, ledger_keys: Any) -> None:
    assert create_checkpoint() is None
    _append(1)
    assert create_checkpoint() is not None
    assert create_checkpoint() is None
    assert Checkpoint.objects.count() == 1


def test_a_checkpoint_signs_the_merkle_root_of_the_new_events(db: Any, ledger_keys: Any) -> None:
    _append(5)

    checkpoint = create_checkpoint()

    assert checkpoint is not None
    events = list(LedgerEvent.objects.order_by("id"))
    assert (checkpoint.first_event_id, checkpoint.last_event_id) == (events[0].pk, events[-1].pk)
    assert checkpoint.event_count == 5
    assert checkpoint.merkle_root == merkle_root([e.hash for e in events])
    assert checkpoint.prev_checkpoint_hash == ZERO_HASH
    row = Checkpoint.objects.filter(pk=checkpoint.pk).values().get()
    body = checkpoint_body_of(row)
    assert checkpoint.hash == hashlib.sha256(body).hexdigest()
    keys = load_public_keys()
    assert verify_signature(raw_public_key=keys[checkpoint.key_id], signature_hex=checkpoint.signature, message=body)


def test_checkpoints_chain_and_cover_each_event_once(db: Any, ledger_keys: Any) -> None:
    _append(3)
    first = create_checkpoint()
    _append(2, subject="stream:2")
    second = create_checkpoint()

    assert first is not None
    assert second is not None
    assert second.prev_checkpoint_hash == first.hash
    assert second.first_event_id > first.last_event_id
    assert first.event_count + second.event_count == LedgerEvent.objects.count()


def test_the_beat_task_creates_a_checkpoint_and_returns_its_id(db: Any, ledger_keys: Any) -> None:
    _append(2)

    checkpoint_id = create_checkpoint_task()

    assert checkpoint_id == Checkpoint.objects.get().pk
    assert create_checkpoint_task() is None


def test_the_command_reports_the_checkpoint(db: Any, ledger_keys: Any) -> None:
    out = StringIO()
    call_command("create_checkpoint", stdout=out)
    assert "nothing signed" in out.getvalue()

    _append(4)
    out = StringIO()
    call_command("create_checkpoint", stdout=out)
    assert "4 events" in out.getvalue()
