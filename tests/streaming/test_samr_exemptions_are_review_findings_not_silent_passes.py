"""The SAMR 2023 guideline exemptions turn a CN-AD-ABSOLUTE block into a CN-AD-ABSOLUTE-EXEMPT review finding
that names the exemption: a person must confirm it, the linter never passes it silently."""

from __future__ import annotations

import pytest

from streaming.linter import LintContext, lint_line


@pytest.mark.parametrize(
    ("text", "matched", "exemption"),
    [
        ("我们店销量第一的款式", "第一", "own-brand comparison"),
        ("本店最畅销的就是这支口红", "最畅销", "own-brand comparison"),
        ("This is our best-selling lipstick", "best-selling", "own-brand comparison"),
        ("最佳食用时间是开封后三天内", "最佳", "consumption tip"),
        ("Best before the date on the lid", "Best", "consumption tip"),
        ("第一次来直播间的朋友点个关注", "第一", "time or sequence fact"),
        ("2023年双11天猫销量第一", "第一", "time or sequence fact"),
        ("这是国家级非物质文化遗产的手艺", "国家级", "award or title under national rules"),
        ("我们坚持顾客第一", "第一", "service attitude or goal"),
    ],
)
def test_the_exemption_is_a_review_finding_naming_it(text: str, matched: str, exemption: str) -> None:
    (finding,) = lint_line(text, language="zh")
    assert finding.rule == "CN-AD-ABSOLUTE-EXEMPT"
    assert finding.severity == "review"
    assert finding.exemption == exemption
    assert text[finding.start : finding.end] == matched
    assert exemption in finding.message_en
    assert "CN-AD-ABSOLUTE" in finding.source  # what it would be without the exemption


def test_a_superlative_inside_a_registered_trademark_is_a_review_finding() -> None:
    context = LintContext(trademarks=("至尊宝",))
    (finding,) = lint_line("这款至尊宝面霜很好用", language="zh", context=context)
    assert (finding.rule, finding.severity, finding.matched) == ("CN-AD-ABSOLUTE-EXEMPT", "review", "至尊")
    assert finding.exemption == "product name or registered trademark"
    assert lint_line("这款至尊面霜", language="zh", context=context)[0].rule == "CN-AD-ABSOLUTE"


def test_a_market_wide_claim_is_not_an_own_brand_comparison() -> None:
    (finding,) = lint_line("我们家的面霜全网销量第一", language="zh")
    assert (finding.rule, finding.severity) == ("CN-AD-ABSOLUTE", "block")
