"""The difference between two versions of a script, line by line, for the review page (docs/scripts.md, "Diff").

Lines are matched by their id (an edit keeps a line's id; a new line gets a new one), so a moved or retagged line
shows as itself rather than as a deletion plus an insertion. Pure: plain mappings in, frozen values out.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

FIELDS = ("text", "language", "intent", "product_ids")
Segment = tuple[str, str]  # ("equal" | "insert" | "delete", text)


@dataclass(frozen=True)
class DiffOp:
    """One line of the diff. `op` is "equal", "changed" (same id; text, intent, language or products differ, listed
    in `fields`), "added" or "removed". `segments` spell the text change character by character: for an added line
    one insert, for a removed line one delete, for an unchanged text one equal segment."""

    op: str
    id: str
    old: Mapping[str, Any] | None
    new: Mapping[str, Any] | None
    old_index: int | None  # 0-based position in the old version
    new_index: int | None  # 0-based position in the new version
    segments: tuple[Segment, ...]
    fields: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "op": self.op,
            "id": self.id,
            "old": dict(self.old) if self.old is not None else None,
            "new": dict(self.new) if self.new is not None else None,
            "old_index": self.old_index,
            "new_index": self.new_index,
            "segments": [list(s) for s in self.segments],
            "fields": list(self.fields),
        }


def _plain(line: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": str(line.get("id") or ""),
        "text": str(line.get("text") or ""),
        "language": str(line.get("language") or ""),
        "intent": str(line.get("intent") or ""),
        "product_ids": [str(p) for p in line.get("product_ids") or ()],
    }


def text_segments(old: str, new: str) -> tuple[Segment, ...]:
    """Character-level segments turning `old` into `new` (characters, not words: Chinese has no spaces)."""
    out: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(("equal", old[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            out.append(("delete", old[i1:i2]))
        if tag in ("insert", "replace"):
            out.append(("insert", new[j1:j2]))
    return tuple(out)


def _compare(old: dict[str, Any], new: dict[str, Any], old_index: int, new_index: int) -> DiffOp:
    fields = tuple(f for f in FIELDS if old[f] != new[f])
    if not fields:
        return DiffOp(
            "equal", new["id"], old, new, old_index, new_index, (("equal", new["text"]),) if new["text"] else ()
        )
    segments = text_segments(old["text"], new["text"])
    return DiffOp("changed", new["id"], old, new, old_index, new_index, segments, fields)


def diff_lines(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]) -> list[DiffOp]:
    """The ops in the new version's order; a removed line sits right after the old line it followed (or first, if
    it opened the old version). A line without an id, or the second of two with one id, cannot be matched and
    shows as removed / added."""
    old_lines = [_plain(line) for line in old]
    new_lines = [_plain(line) for line in new]
    old_by_id: dict[str, int] = {}
    for index, line in enumerate(old_lines):
        if line["id"]:
            old_by_id.setdefault(line["id"], index)
    matched_old: dict[int, int] = {}  # old index -> new index
    new_match: dict[int, int] = {}  # new index -> old index
    for index, line in enumerate(new_lines):
        at = old_by_id.get(line["id"]) if line["id"] else None
        if at is not None and at not in matched_old:
            matched_old[at] = index
            new_match[index] = at
    # Each removed line is anchored to the nearest kept line before it in the old version (-1: the very start).
    after: dict[int, list[int]] = {}
    anchor = -1
    for index in range(len(old_lines)):
        if index in matched_old:
            anchor = matched_old[index]
        else:
            after.setdefault(anchor, []).append(index)

    def removed(new_index: int) -> list[DiffOp]:
        return [
            DiffOp("removed", old_lines[i]["id"], old_lines[i], None, i, None,
                   (("delete", old_lines[i]["text"]),) if old_lines[i]["text"] else ())
            for i in after.get(new_index, [])
        ]  # fmt: skip

    ops = removed(-1)
    for index, line in enumerate(new_lines):
        if index in new_match:
            ops.append(_compare(old_lines[new_match[index]], line, new_match[index], index))
        else:
            segments = (("insert", line["text"]),) if line["text"] else ()
            ops.append(DiffOp("added", line["id"], None, line, None, index, segments))
        ops += removed(index)
    return ops
