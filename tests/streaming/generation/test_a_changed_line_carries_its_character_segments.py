"""A changed line's text change is spelt as character segments (difflib), which put together give back the old text
(equal + delete) and the new text (equal + insert): a price changed from 199 to 299 shows as one digit replaced."""

from __future__ import annotations

from streaming.script_diff import diff_lines, text_segments


def test_a_changed_digit_is_one_delete_and_one_insert() -> None:
    old = [{"id": "x", "text": "价格是199元", "intent": "price"}]
    new = [{"id": "x", "text": "价格是299元", "intent": "price"}]
    (op,) = diff_lines(old, new)
    assert op.op == "changed"
    assert op.segments == (("equal", "价格是"), ("delete", "1"), ("insert", "2"), ("equal", "99元"))
    assert op.as_dict()["segments"] == [["equal", "价格是"], ["delete", "1"], ["insert", "2"], ["equal", "99元"]]


def test_segments_rebuild_both_texts() -> None:
    pairs = [
        ("这款面霜是全网最低价", "这款面霜的价格是199元"),
        ("Welcome to the best live room!", "Welcome to our live room!"),
        ("", "新的一行"),
        ("删掉的内容", ""),
    ]
    for old, new in pairs:
        segments = text_segments(old, new)
        assert "".join(t for kind, t in segments if kind in ("equal", "delete")) == old
        assert "".join(t for kind, t in segments if kind in ("equal", "insert")) == new
        assert all(t for _kind, t in segments)
