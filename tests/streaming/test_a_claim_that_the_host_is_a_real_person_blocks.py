"""An AI host that says it is a real person defeats its label (CN-LABEL-NO-REMOVAL); saying it is NOT a real
person is a disclosure and passes."""

from __future__ import annotations

import pytest

from streaming.linter import lint_line


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("我是真人，不是录的", "是真人"),
        ("真人主播为您讲解", "真人主播"),
        ("我不是机器人哦", "不是机器人"),
        ("I'm a real person, ask me anything", "I'm a real person"),
        ("Don't worry, I'm not a robot", "I'm not a robot"),
        ("This is not AI-generated", "This is not AI-generated"),
    ],
)
def test_a_real_person_claim_blocks(text: str, matched: str) -> None:
    (finding,) = lint_line(text, language="zh")
    assert (finding.rule, finding.severity, text[finding.start : finding.end]) == (
        "CN-LABEL-NO-REMOVAL",
        "block",
        matched,
    )


@pytest.mark.parametrize(
    "text",
    ["我不是真人，我是AI数字人主播", "这是真人实拍图", "I'm an AI host, not a real person", "This robot vacuum maps"],
)
def test_denials_and_product_photos_pass(text: str) -> None:
    assert lint_line(text, language="en") == []
