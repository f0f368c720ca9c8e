from __future__ import annotations

from typing import Any

import pytest

from audit.models import LedgerEvent
from audit.selectors import NotCheckpointedError, get_inclusion_proof
from audit.services import create_checkpoint, record_event
from audit.verify import verify_inclusion_proof


def test_every_event_has_a_proof_against_its_signed_checkpoint(db: Any, ledger_keys: Any) -> None:
    for i in range(7):
        record_event(kind="k", subject=f"stream:{i % 3}", payload={"i": i}, actor=None)
    checkpoint = create_checkpoint()
    assert checkpoint is not None

    for index, event in enumerate(LedgerEvent.objects.order_by("id")):
        proof = get_inclusion_proof(event.pk)
        assert proof["leaf_index"] == index
        assert proof["checkpoint_id"] == checkpoint.pk
        assert proof["root"] == checkpoint.merkle_root
        assert verify_inclusion_proof(event_hash=event.hash, path=proof["path"], root=proof["root"])


def test_a_proof_names_the_right_checkpoint_of_several(db: Any, ledger_keys: Any) -> None:
    record_event(kind="k", subject="stream:1", payload={}, actor=None)
    create_checkpoint()
    later = record_event(kind="k", subject="stream:1", payload={}, actor=None)
    second = create_checkpoint()
    assert second is not None

    proof = get_inclusion_proof(later.pk)

    assert proof["checkpoint_id"] == second.pk
    assert proof["tree_size"] == 1
    assert verify_inclusion_proof(event_hash=later.hash, path=proof["path"], root=proof["root"])


def test_an_event_not_yet_checkpointed_has_no_proof(db: Any) -> None:
    event = record_event(kind="k", subject="stream:1", payload={}, actor=None)

    with pytest.raises(NotCheckpointedError):
        get_inclusion_proof(event.pk)
    with pytest.raises(LedgerEvent.DoesNotExist):
        get_inclusion_proof(event.pk + 1000)
