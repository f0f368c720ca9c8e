"""A built-in script, in either language, with any seed and any number of loops, opens with a line tagged
"disclosure" that the linter accepts as the AI disclosure; every later loop repeats one (a continuous reminder)."""

from __future__ import annotations

import pytest

from streaming.generation import disclosure_line, generate_builtin
from streaming.linter import is_disclosure
from tests.streaming.generation.helpers import every_category


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_first_line_is_an_accepted_disclosure_and_each_loop_restates_it(language: str) -> None:
    products = every_category(language)[:2]
    for seed in range(40):
        lines = generate_builtin(products=products, language=language, brand_name="Acme", seed=seed, loops=3)
        assert lines[0].intent == "disclosure"
        assert is_disclosure(lines[0].text), lines[0].text
        disclosures = [line for line in lines if line.intent == "disclosure"]
        assert len(disclosures) == 3
        assert all(is_disclosure(line.text) for line in disclosures)


def test_a_regional_language_code_is_accepted() -> None:
    lines = generate_builtin(products=every_category("zh")[:1], language="zh-CN", brand_name="Acme", seed=1)
    assert {line.language for line in lines} == {"zh"}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_template_of_the_single_disclosure_line_is_accepted(language: str) -> None:
    texts = {disclosure_line(language=language, brand_name="益达", seed=seed).text for seed in range(60)}
    assert len(texts) >= 4
    assert all(is_disclosure(text) for text in texts)
    if language == "en":
        assert not any("益达" in text for text in texts)
