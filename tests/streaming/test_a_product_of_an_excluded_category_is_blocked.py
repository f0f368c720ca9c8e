"""A product in a category the influencer's consent excludes blocks the line that presents it
(CN-LIVEMKT-VIRTUAL-IMAGE-CONSENT); the script's own category too."""

from __future__ import annotations

from decimal import Decimal

from streaming.linter import ProductRef, ScriptLine, lint_script

DISCLOSURE = "本直播由人工智能生成"
PRODUCTS = {
    "p1": ProductRef("p1", "桂花米酒", "alcohol", Decimal("39")),
    "p2": ProductRef("p2", "保湿面霜", "cosmetics", Decimal("129")),
}


def test_the_line_presenting_the_excluded_product_is_blocked_at_its_name() -> None:
    lines = [
        DISCLOSURE,
        ScriptLine("这款保湿面霜很好用", product_ids=["p2"]),
        ScriptLine("再看桂花米酒", product_ids=["p1"]),
    ]
    (finding,) = lint_script(lines, language="zh", products=PRODUCTS, excluded_categories=["alcohol"])
    assert (finding.rule, finding.severity, finding.line) == ("CN-LIVEMKT-VIRTUAL-IMAGE-CONSENT", "block", 3)
    assert finding.matched == "桂花米酒"
    assert "alcohol" in finding.message_en


def test_an_exclusion_typed_as_a_display_name_counts() -> None:
    lines = [DISCLOSURE, ScriptLine("再看这款酒", product_ids=["p1"])]
    (finding,) = lint_script(lines, language="zh", products=PRODUCTS, excluded_categories=["酒类"])
    assert (finding.family, finding.matched) == ("excluded_category", "再看这款酒")  # name not said: the line


def test_the_script_category_itself_can_be_excluded() -> None:
    (finding,) = lint_script([DISCLOSURE, "欢迎"], language="zh", category="tobacco", excluded_categories=["tobacco"])
    assert (finding.family, finding.line) == ("excluded_category", 1)


def test_a_line_product_price_is_checked_against_that_product() -> None:
    lines = [DISCLOSURE, ScriptLine("米酒只要39元", product_ids=["p1"]), ScriptLine("面霜只要39元", product_ids=["p2"])]
    findings = lint_script(lines, language="zh", products=PRODUCTS)
    assert [(f.family, f.line, f.matched) for f in findings] == [("price_mismatch", 3, "39元")]
