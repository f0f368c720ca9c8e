"""A health-food script must say the product cannot replace medicine (CN-AD-HEALTHFOOD, Art 18): a review finding
when it does not; not asked of other categories, nor when the category is unknown."""

from __future__ import annotations

from streaming.linter import lint_script

LINES = ["本直播由人工智能生成", "这款鱼油每天两粒"]


def test_a_health_food_script_without_the_notice_gets_a_review_finding() -> None:
    (finding,) = lint_script(LINES, language="zh", category="health_food")
    assert (finding.rule, finding.family, finding.severity) == ("CN-AD-HEALTHFOOD", "health_food_notice", "review")
    assert (finding.line, finding.start, finding.end, finding.matched) == (1, 0, 0, "")


def test_the_notice_anywhere_in_the_script_satisfies_it() -> None:
    assert lint_script([*LINES, "本品不能代替药物"], language="zh", category="health_food") == []
    assert lint_script([*LINES, "It cannot replace medicine."], language="zh", category="health_food") == []


def test_other_or_unknown_categories_are_not_asked() -> None:
    assert lint_script(LINES, language="zh", category="food") == []
    assert lint_script(LINES, language="zh") == []
