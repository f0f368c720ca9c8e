"""diff_lines pairs lines by id: an unchanged line is "equal", an edited one (text, intent, language or products)
"changed" with the fields that changed, a new id "added", a vanished id "removed"; ops follow the new version's
order, and as_dict is plain JSON for the review page."""

from __future__ import annotations

import json

from streaming.script_diff import diff_lines


def line(id_: str, text: str, intent: str = "product", **extra: object) -> dict[str, object]:
    return {"id": id_, "text": text, "language": "zh", "intent": intent, "product_ids": [], **extra}


def test_equal_changed_added_and_removed() -> None:
    old = [line("a", "本直播由人工智能生成", "disclosure"), line("b", "大家好", "greet"), line("c", "这款商品很轻")]
    new = [
        line("a", "本直播由人工智能生成", "disclosure"),
        line("c", "这款商品很轻", "price"),  # retagged only
        line("b", "大家好呀", "greet"),  # moved after c, and edited
        line("d", "谢谢大家", "thanks"),
    ]
    ops = diff_lines(old, new)
    assert [(op.op, op.id, op.old_index, op.new_index) for op in ops] == [
        ("equal", "a", 0, 0),
        ("changed", "c", 2, 1),
        ("changed", "b", 1, 2),
        ("added", "d", None, 3),
    ]
    assert ops[1].fields == ("intent",)
    assert ops[2].fields == ("text",)
    assert ops[3].segments == (("insert", "谢谢大家"),)
    assert json.loads(json.dumps([op.as_dict() for op in ops]))[1]["new"]["intent"] == "price"


def test_identical_versions_are_all_equal_and_products_count_as_a_change() -> None:
    old = [line("a", "x"), line("b", "y", product_ids=["p1"])]
    assert [op.op for op in diff_lines(old, old)] == ["equal", "equal"]
    ops = diff_lines(old, [line("a", "x"), line("b", "y", product_ids=["p2"])])
    assert [(op.op, op.fields) for op in ops] == [("equal", ()), ("changed", ("product_ids",))]


def test_lines_without_an_id_or_with_a_repeated_id_are_removed_and_added() -> None:
    old = [line("", "x"), line("a", "y")]
    new = [line("", "x"), line("a", "y"), line("a", "z")]
    assert [op.op for op in diff_lines(old, new)] == ["removed", "added", "equal", "added"]
