"""Every ledger event kind the code records is in the catalogue (audit/event_kinds.py and docs/ledger.md), with the
payload fields it writes. The scan reads every `record_event(...)`/`EventSpec(...)` call outside tests: the kind must
be a literal (so audit rules can rely on the list) and catalogued. The run-time side: the render job test and the
demo's end-to-end test check the kinds they actually wrote."""

from __future__ import annotations

import ast
from pathlib import Path

from audit.event_kinds import EVENT_KINDS

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("platform", "consent", "render", "streaming")
# The ledger's own writer passes its caller's kind through.
WRAPPERS = {Path("platform/audit/services.py")}


def _recording_calls() -> list[tuple[str, ast.Call]]:
    found = []
    for top in SOURCES:
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or relative in WRAPPERS:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call):
                    name = getattr(node.func, "id", getattr(node.func, "attr", None))
                    if name in ("record_event", "EventSpec"):
                        found.append((f"{relative}:{node.lineno}", node))
    return found


def test_every_recorded_kind_is_a_literal_in_the_catalogue_with_the_payload_fields_it_writes() -> None:
    calls = _recording_calls()
    assert len(calls) > 30  # the scan sees the code (a moved package would make it pass vacuously)
    problems = []
    for where, call in calls:
        keywords = {k.arg: k.value for k in call.keywords}
        kind = keywords.get("kind")
        if not (isinstance(kind, ast.Constant) and isinstance(kind.value, str)):
            problems.append(f"{where}: the kind is not a literal string")
            continue
        entry = EVENT_KINDS.get(kind.value)
        if entry is None:
            problems.append(f"{where}: {kind.value!r} is not in audit/event_kinds.py")
            continue
        payload = keywords.get("payload")
        if isinstance(payload, ast.Dict):
            written = {k.value for k in payload.keys if isinstance(k, ast.Constant)}
            unknown = written - set(entry.payload)
            if unknown:
                problems.append(f"{where}: {kind.value} writes fields the catalogue does not list: {sorted(unknown)}")
    assert problems == []


def test_docs_ledger_lists_every_catalogued_kind() -> None:
    text = (ROOT / "docs" / "ledger.md").read_text()
    missing = [kind for kind in EVENT_KINDS if f"`{kind}`" not in text]
    assert missing == []
