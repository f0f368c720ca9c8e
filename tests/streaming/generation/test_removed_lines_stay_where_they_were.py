"""A removed line is shown right after the line it followed in the old version (first, if it opened the script),
so the reviewer reads the deletion in place."""

from __future__ import annotations

from streaming.script_diff import diff_lines


def lines(*ids: str) -> list[dict[str, object]]:
    return [{"id": i, "text": f"line {i}", "language": "en", "intent": "idle", "product_ids": []} for i in ids]


def test_removed_lines_keep_their_place() -> None:
    ops = diff_lines(lines("a", "b", "c", "d", "e"), lines("b", "d", "f"))
    assert [(op.op, op.id) for op in ops] == [
        ("removed", "a"),
        ("equal", "b"),
        ("removed", "c"),
        ("equal", "d"),
        ("removed", "e"),
        ("added", "f"),
    ]
    assert ops[0].segments == (("delete", "line a"),)
    assert ops[0].new is None


def test_everything_removed_and_everything_new() -> None:
    ops = diff_lines(lines("a", "b"), lines("c"))
    assert [(op.op, op.id) for op in ops] == [("removed", "a"), ("removed", "b"), ("added", "c")]
    assert diff_lines([], []) == []
