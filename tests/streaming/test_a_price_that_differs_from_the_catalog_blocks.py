"""A price said in a line that differs from the catalog price blocks (CN-AD-FALSE, family price_mismatch), in
Arabic or Chinese numerals; the catalog price itself, reference prices and discount amounts do not."""

from __future__ import annotations

from decimal import Decimal

import pytest

from streaming.linter import lint_line
from streaming.linter.loader import default_rules
from streaming.linter.prices import find_prices, zh_number


def _prices(text: str, catalog: str) -> list[tuple[str, str]]:
    return [
        (f.matched, f.severity)
        for f in lint_line(text, language="zh", catalog_price=Decimal(catalog))
        if f.family == "price_mismatch"
    ]


def test_a_different_price_blocks_at_its_span() -> None:
    text = "这款面霜到手价199元，赶紧下单"
    findings = lint_line(text, language="zh", catalog_price=Decimal("129"))
    (finding,) = [f for f in findings if f.family == "price_mismatch"]
    assert (finding.rule, finding.severity) == ("CN-AD-FALSE", "block")
    assert text[finding.start : finding.end] == "199元"
    assert "129" in finding.message_en
    assert "199" in finding.message_zh


@pytest.mark.parametrize(
    ("text", "catalog"),
    [("只要129元", "129"), ("¥129.00", "129"), ("一百二十九元", "129"), ("九块九包邮", "9.9"), ("99块9", "99.9")],
)
def test_the_catalog_price_itself_passes(text: str, catalog: str) -> None:
    assert _prices(text, catalog) == []


@pytest.mark.parametrize(
    ("text", "matched"),
    [("RMB 150", "RMB 150"), ("一百五十元", "一百五十元"), ("到手价150！", "150"), ("九块八", "九块八")],
)
def test_other_forms_of_a_wrong_price_block(text: str, matched: str) -> None:
    assert _prices(text, "129") == [(matched, "block")]


def test_reference_prices_and_discounts_are_not_the_price() -> None:
    assert _prices("原价299，满199减30，再送价值50元的小样", "129") == []


def test_chinese_numerals() -> None:
    assert zh_number("一百二") == 120
    assert zh_number("两万五") == 25000
    assert zh_number("一百零五") == 105
    assert zh_number("一九九") == 199
    assert zh_number("九点九") == Decimal("9.9")
    assert [m.amount for m in find_prices("1.5万元", default_rules().price)] == [15000]


def test_a_measure_word_is_not_money() -> None:
    assert _prices("这一块面料很软，两块蛋糕", "129") == []
    assert _prices("三块钱", "129") == [("三块钱", "block")]
