"""Every ledger event kind the code records is in the catalogue (audit/event_kinds.py and docs/ledger.md), with the
payload fields it writes. The scan reads every `record_event(...)`/`EventSpec(...)` call outside tests: the kind must
be a literal (so audit rules can rely on the list) and catalogued, or a parameter of the enclosing function annotated
`Literal[...]` whose every value is catalogued with the fields written. The run-time side: the render job test and the
demo's end-to-end test check the kinds they actually wrote."""

from __future__ import annotations

import ast
from pathlib import Path

from audit.event_kinds import EVENT_KINDS

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("platform", "consent", "render", "streaming")
# The ledger's own writer passes its caller's kind through.
WRAPPERS = {Path("platform/audit/services.py")}


def _literal_parameters(function: ast.AST) -> dict[str, list[str]]:
    """Parameters annotated `Literal["a", "b", ...]` (strings only) -> their values."""
    found: dict[str, list[str]] = {}
    if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
        return found
    args = function.args
    for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
        note = arg.annotation
        if (
            isinstance(note, ast.Subscript)
            and getattr(note.value, "id", getattr(note.value, "attr", None)) == "Literal"
        ):
            items = note.slice.elts if isinstance(note.slice, ast.Tuple) else [note.slice]
            values = [i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)]
            if values and len(values) == len(items):
                found[arg.arg] = values
    return found


def _recording_calls() -> list[tuple[str, ast.Call, dict[str, list[str]]]]:
    """Each recording call, with the Literal-annotated parameters of the functions it stands in."""
    found: list[tuple[str, ast.Call, dict[str, list[str]]]] = []

    def visit(node: ast.AST, where: Path, literals: dict[str, list[str]]) -> None:
        for child in ast.iter_child_nodes(node):
            inner = {**literals, **_literal_parameters(child)}
            if isinstance(child, ast.Call):
                name = getattr(child.func, "id", getattr(child.func, "attr", None))
                if name in ("record_event", "EventSpec"):
                    found.append((f"{where}:{child.lineno}", child, inner))
            visit(child, where, inner)

    for top in SOURCES:
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or relative in WRAPPERS:
                continue
            visit(ast.parse(path.read_text()), relative, {})
    return found


def test_every_recorded_kind_is_a_literal_in_the_catalogue_with_the_payload_fields_it_writes() -> None:
    calls = _recording_calls()
    assert len(calls) > 30  # the scan sees the code (a moved package would make it pass vacuously)
    problems = []
    for where, call, literals in calls:
        keywords = {k.arg: k.value for k in call.keywords}
        kind = keywords.get("kind")
        if isinstance(kind, ast.Constant) and isinstance(kind.value, str):
            kinds = [kind.value]
        elif isinstance(kind, ast.Name) and kind.id in literals:
            kinds = literals[kind.id]
        else:
            problems.append(f"{where}: the kind is not a literal string (nor a Literal[...]-annotated parameter)")
            continue
        for value in kinds:
            entry = EVENT_KINDS.get(value)
            if entry is None:
                problems.append(f"{where}: {value!r} is not in audit/event_kinds.py")
                continue
            payload = keywords.get("payload")
            if isinstance(payload, ast.Dict):
                written = {k.value for k in payload.keys if isinstance(k, ast.Constant)}
                unknown = written - set(entry.payload)
                if unknown:
                    problems.append(f"{where}: {value} writes fields the catalogue does not list: {sorted(unknown)}")
    assert problems == []


def test_docs_ledger_lists_every_catalogued_kind() -> None:
    text = (ROOT / "docs" / "ledger.md").read_text()
    missing = [kind for kind in EVENT_KINDS if f"`{kind}`" not in text]
    assert missing == []
