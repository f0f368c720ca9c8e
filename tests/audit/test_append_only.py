"""Ledger rows cannot be changed or deleted, neither through the ORM nor with raw SQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AppendOnlyError, Checkpoint, LedgerEvent
from audit.services import create_checkpoint, record_event


def test_the_orm_refuses_to_change_or_delete_an_event(db: Any) -> None:
    event = record_event(kind="k", subject="stream:1", payload={"a": 1}, actor=None)
    loaded = LedgerEvent.objects.get(pk=event.pk)

    loaded.payload = '{"a":2}'
    with pytest.raises(AppendOnlyError):
        loaded.save()
    with pytest.raises(AppendOnlyError):
        loaded.delete()
    with pytest.raises(AppendOnlyError):
        LedgerEvent.objects.filter(pk=event.pk).update(payload="{}")
    with pytest.raises(AppendOnlyError):
        LedgerEvent.objects.all().delete()
    assert LedgerEvent.objects.get(pk=event.pk).payload == '{"a":1}'


def test_the_orm_refuses_to_change_or_delete_a_checkpoint(db: Any, ledger_keys: Any) -> None:
    record_event(kind="k", subject="stream:1", payload={}, actor=None)
    checkpoint = create_checkpoint()
    assert checkpoint is not None

    with pytest.raises(AppendOnlyError):
        checkpoint.save()
    with pytest.raises(AppendOnlyError):
        checkpoint.delete()
    with pytest.raises(AppendOnlyError):
        Checkpoint.objects.update(signature="00")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_ledgerevent SET payload = '{}'",
        "DELETE FROM audit_ledgerevent",
        "UPDATE audit_checkpoint SET signature = '00'",
        "DELETE FROM audit_checkpoint",
    ],
)
def test_the_database_refuses_raw_updates_and_deletes(db: Any, ledger_keys: Any, statement: str) -> None:
    # Runs on whichever database the suite uses: PostgreSQL's trigger, or the demo's SQLite triggers.
    record_event(kind="k", subject="stream:1", payload={"a": 1}, actor=None)
    create_checkpoint()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)

    assert LedgerEvent.objects.get().payload == '{"a":1}'
    assert Checkpoint.objects.count() == 1


@pytest.mark.postgres
def test_the_postgresql_trigger_refuses_updates_and_deletes(db: Any) -> None:
    assert connection.vendor == "postgresql"
    event = record_event(kind="k", subject="stream:1", payload={"a": 1}, actor=None)

    for statement in (
        "UPDATE audit_ledgerevent SET seq = 9 WHERE id = %s",
        "DELETE FROM audit_ledgerevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])

    assert LedgerEvent.objects.get(pk=event.pk).seq == 1
