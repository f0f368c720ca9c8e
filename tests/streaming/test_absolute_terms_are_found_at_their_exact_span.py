"""Advertising Law absolute terms (CN-AD-ABSOLUTE) are found at the exact characters that say them."""

from __future__ import annotations

import pytest

from streaming.linter import lint_line


@pytest.mark.parametrize(
    ("text", "matched", "severity"),
    [
        ("这款精华是国家级的品质", "国家级", "block"),
        ("这是夏天最佳的防晒选择", "最佳", "block"),
        ("这款洗面奶销量第一", "第一", "block"),
        ("顶级的原料", "顶级", "block"),
        ("全网最低价，闭眼入", "全网最低价", "block"),
        ("NO.1的修护精华", "NO.1", "block"),
        ("This is the best moisturiser", "best", "block"),
        ("The No. 1 serum in China", "No. 1", "block"),
        ("Lowest price online, guaranteed", "Lowest price online", "block"),
        ("这是最好的面霜", "最好", "review"),
        ("首选的敏感肌面霜", "首选", "review"),
    ],
)
def test_each_absolute_term_is_found_at_its_span(text: str, matched: str, severity: str) -> None:
    findings = [f for f in lint_line(text, language="zh") if f.family == "absolute"]
    assert len(findings) == 1
    finding = findings[0]
    assert finding.rule == "CN-AD-ABSOLUTE"
    assert finding.severity == severity
    assert text[finding.start : finding.end] == finding.matched == matched
    assert matched in finding.message_en
    assert matched in finding.message_zh


def test_a_line_without_absolute_terms_has_no_finding() -> None:
    assert lint_line("这款面霜主打保湿，适合干皮", language="zh") == []
    assert lint_line("Bestow a gift; Model No. 12; Top 10 features", language="en") == []


def test_every_finding_names_its_legal_source() -> None:
    (finding,) = lint_line("国家级", language="zh")
    assert "第九条" in finding.source
    assert finding.entry == "absolute.statutory"
