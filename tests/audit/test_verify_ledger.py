"""verify_ledger recomputes everything and names the first broken row (tampering done as a superuser would)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.models import LedgerEvent
from audit.services import create_checkpoint, record_event


@contextmanager
def triggers_bypassed() -> Iterator[Any]:
    """What an attacker with superuser rights can do: switch off triggers for this transaction only."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        try:
            yield cursor
        finally:
            cursor.execute("SET LOCAL session_replication_role = origin")


def _ledger() -> list[LedgerEvent]:
    for i in range(3):
        record_event(kind="consent.granted", subject="consent:a", payload={"grant": i, "note": "seven 7"}, actor=None)
        record_event(kind="stream.tick", subject="stream:b", payload={"i": i}, actor="worker:w")
    create_checkpoint()
    record_event(kind="stream.tick", subject="stream:b", payload={"i": 3}, actor="worker:w")
    create_checkpoint()
    return list(LedgerEvent.objects.order_by("id"))


def _verify() -> str:
    out = StringIO()
    call_command("verify_ledger", stdout=out)
    return out.getvalue()


def test_an_intact_ledger_verifies_with_a_summary(db: Any, ledger_keys: Any) -> None:
    _ledger()

    assert _verify().strip() == "Ledger intact: 7 events in 2 subjects, 2 checkpoints."


@pytest.mark.postgres
def test_it_names_the_event_whose_payload_was_edited(db: Any, ledger_keys: Any) -> None:
    events = _ledger()
    victim = events[2]
    with triggers_bypassed() as cursor:
        cursor.execute("UPDATE audit_ledgerevent SET payload = replace(payload, '7', '8') WHERE id = %s", [victim.pk])

    with pytest.raises(CommandError) as caught:
        _verify()

    message = str(caught.value)
    assert f"event {victim.pk} (subject consent:a, seq 2)" in message
    assert "stored hash does not match" in message


@pytest.mark.postgres
def test_it_names_the_event_after_a_deleted_one(db: Any, ledger_keys: Any) -> None:
    events = _ledger()
    deleted, following = events[1], events[3]  # stream:b seq 1 and seq 2
    with triggers_bypassed() as cursor:
        cursor.execute("DELETE FROM audit_ledgerevent WHERE id = %s", [deleted.pk])

    with pytest.raises(CommandError) as caught:
        _verify()

    message = str(caught.value)
    assert f"LEDGER BROKEN at event {following.pk} (subject stream:b, seq 2): seq 2 follows seq 0" in message
    assert "more problem" in message  # the checkpoint that covered it no longer adds up either


@pytest.mark.postgres
def test_deleting_the_last_event_of_a_chain_breaks_its_checkpoint(db: Any, ledger_keys: Any) -> None:
    events = _ledger()
    last = events[-1]
    with triggers_bypassed() as cursor:
        cursor.execute("DELETE FROM audit_ledgerevent WHERE id = %s", [last.pk])

    with pytest.raises(CommandError, match=r"checkpoint \d+: claims 1 events .* holds 0"):
        _verify()


@pytest.mark.postgres
def test_it_catches_a_tampered_checkpoint_signature(db: Any, ledger_keys: Any) -> None:
    _ledger()
    with triggers_bypassed() as cursor:
        cursor.execute(
            "UPDATE audit_checkpoint SET signature = translate(signature, '0123456789abcdef', '123456789abcdef0') "
            "WHERE id = (SELECT min(id) FROM audit_checkpoint)"
        )

    with pytest.raises(CommandError, match="signature does not verify"):
        _verify()


@pytest.mark.postgres
def test_it_catches_a_rewritten_checkpoint_chain(db: Any, ledger_keys: Any) -> None:
    _ledger()
    with triggers_bypassed() as cursor:
        cursor.execute(
            "UPDATE audit_checkpoint SET prev_checkpoint_hash = repeat('1', 64) "
            "WHERE id = (SELECT max(id) FROM audit_checkpoint)"
        )

    with pytest.raises(CommandError, match="checkpoint chain is broken"):
        _verify()


def test_a_checkpoint_signed_by_an_unknown_key_fails(db: Any, ledger_keys: Any) -> None:
    _ledger()
    for pem in ledger_keys["public_dir"].glob("*.pem"):
        pem.unlink()

    with pytest.raises(CommandError, match="unknown key id"):
        _verify()
