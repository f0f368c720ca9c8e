"""Normalisation: full-width forms, spacing, fillers, case, traditional characters, look-alike letters, invisible
characters and strike-through marks do not hide a banned word, and the span is still in the original text."""

from __future__ import annotations

import pytest

from streaming.linter import lint_line


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("Ｎｏ．１的口红", "Ｎｏ．１"),
        ("这是N O 1的面霜", "N O 1"),
        ("N.O.1 skincare", "N.O.1"),
        ("这是第 一 名的面膜", "第 一 名"),
        ("最*佳的保湿效果", "最*佳"),
        ("最🔥佳的效果", "最🔥佳"),
        ("國家級認證", "國家級"),
        ("顶\u200b级原料", "顶\u200b级"),
        ("the BEST cream", "BEST"),
        ("the bеst cream", "bеst"),  # Cyrillic е
        ("ｂｅｓｔ headphones", "ｂｅｓｔ"),
        ("t o p 1 brand", "t o p 1"),
    ],
)
def test_the_trick_is_caught_at_the_original_span(text: str, matched: str) -> None:
    findings = [f for f in lint_line(text, language="zh") if f.family == "absolute"]
    assert [text[f.start : f.end] for f in findings] == [matched]
    assert findings[0].severity == "block"


def test_a_decimal_price_keeps_its_point_and_ordinary_words_are_not_joined() -> None:
    assert lint_line("9.9元包邮", language="zh") == []
    assert lint_line("Piano lessons start at nine", language="en") == []
