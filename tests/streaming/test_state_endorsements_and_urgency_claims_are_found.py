"""State-organ endorsements block (CN-AD-STATE); unverifiable urgency and reference-price claims are review
findings (CN-AD-FALSE) that need evidence."""

from __future__ import annotations

import pytest

from streaming.linter import lint_line


@pytest.mark.parametrize(
    ("text", "matched"),
    [("央视推荐的品牌", "央视推荐"), ("这是特供酒", "特供"), ("Recommended by CCTV", "Recommended by CCTV")],
)
def test_state_endorsements_block(text: str, matched: str) -> None:
    (finding,) = lint_line(text, language="zh")
    assert (finding.rule, finding.severity, text[finding.start : finding.end]) == ("CN-AD-STATE", "block", matched)


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("今天是活动最后一天", "最后一天"),
        ("下播就恢复原价", "下播就恢复原价"),
        ("原价299，今天不要这个价", "原价299"),
        ("最后3件了", "最后3件"),
        ("Only today at this price", "Only today"),
    ],
)
def test_urgency_claims_are_review_findings(text: str, matched: str) -> None:
    (finding,) = lint_line(text, language="zh")
    assert (finding.rule, finding.severity, text[finding.start : finding.end]) == ("CN-AD-FALSE", "review", matched)
    assert finding.family == "urgency"
