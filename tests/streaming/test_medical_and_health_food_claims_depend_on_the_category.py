"""Medical claims are banned for non-medical goods (Art 17); drugs and devices may name treatment but not guarantee
efficacy (Art 16); health-food rules (Art 18) ban disease prevention, safety guarantees and drug comparisons, and
health-function claims by ordinary goods."""

from __future__ import annotations

from streaming.linter import lint_line


def _rules(text: str, category: str | None, language: str = "zh") -> list[tuple[str, str, str]]:
    return [(f.rule, f.severity, f.matched) for f in lint_line(text, language=language, category=category)]


def test_a_cosmetic_that_treats_eczema_is_blocked_at_the_word() -> None:
    assert _rules("这款面霜可以治疗湿疹", "cosmetics") == [("CN-AD-MEDICAL-NONMED", "block", "治疗")]
    assert _rules("This cream treats eczema", "cosmetics", "en") == [("CN-AD-MEDICAL-NONMED", "block", "treats eczema")]


def test_a_drug_may_name_treatment_but_not_guarantee_it() -> None:
    assert _rules("本品用于治疗感冒", "drugs") == []
    assert _rules("这个药保证有效", "drugs") == [("CN-AD-MEDICAL", "block", "保证有效")]


def test_an_unknown_category_gets_every_rule() -> None:
    assert _rules("本品用于治疗感冒", None) == [("CN-AD-MEDICAL-NONMED", "block", "治疗")]


def test_health_food_claims_are_blocked() -> None:
    assert _rules("每天两粒预防感冒", "health_food") == [("CN-AD-HEALTHFOOD", "block", "预防感冒")]
    assert _rules("比吃药还管用", "health_food") == [("CN-AD-HEALTHFOOD", "block", "比吃药")]
    assert _rules("本品不能代替药物", "health_food") == []


def test_ordinary_food_may_not_claim_health_functions_but_registered_health_food_may() -> None:
    assert _rules("这款饼干能增强免疫力", "food") == [("CN-AD-HEALTHFOOD", "block", "增强免疫力")]
    assert _rules("这款饼干能增强免疫力", "health_food") == []
