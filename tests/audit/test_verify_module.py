"""The pure verifier works on plain dicts (what an auditor bundle ships) and needs no Django."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

from audit.verify import ZERO_HASH, canonical_payload, compute_event_hash, format_timestamp, verify_ledger

VERIFY_PY = Path(__file__).resolve().parents[2] / "platform" / "audit" / "verify.py"


def _chain(n: int) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    prev = ZERO_HASH
    at = format_timestamp(datetime(2025, 1, 1, tzinfo=UTC))
    for i in range(1, n + 1):
        payload = canonical_payload({"i": i})
        digest = compute_event_hash(
            subject="stream:1", seq=i, kind="k", actor="system", payload_json=payload, prev_hash=prev, recorded_at=at
        )
        rows.append(
            {
                "id": i,
                "subject": "stream:1",
                "seq": i,
                "kind": "k",
                "actor": "system",
                "payload": payload,
                "prev_hash": prev,
                "hash": digest,
                "recorded_at": at,
            }
        )
        prev = digest
    return rows


def test_it_imports_nothing_from_django() -> None:
    tree = ast.parse(VERIFY_PY.read_text())
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}

    assert not any(m.split(".")[0] in {"django", "audit", "accounts", "rest_framework"} for m in modules)


def test_plain_rows_verify() -> None:
    report = verify_ledger(events=_chain(5), checkpoints=[], public_keys={})

    assert report.ok
    assert (report.events_checked, report.subjects) == (5, 1)


def test_the_first_broken_event_comes_first() -> None:
    rows = _chain(6)
    rows[2]["actor"] = "user:someone-else"
    rows[4]["kind"] = "forged"

    report = verify_ledger(events=rows, checkpoints=[], public_keys={})

    assert report.first_problem is not None
    assert (report.first_problem.id, report.first_problem.seq) == (3, 3)
    assert [p.id for p in report.problems] == [3, 5]


def test_a_duplicated_seq_is_caught() -> None:
    rows = _chain(3)
    rows.append({**rows[2], "id": 4})

    report = verify_ledger(events=rows, checkpoints=[], public_keys={})

    assert report.first_problem is not None
    assert report.first_problem.id == 4
    assert "repeats" in report.first_problem.message
