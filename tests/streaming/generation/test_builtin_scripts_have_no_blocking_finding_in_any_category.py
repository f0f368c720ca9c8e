"""The templates never say a banned claim: linting built-in scripts for every category, in both languages, over 50
seeds, finds nothing that blocks, and no review finding from the templates' own words either (a health-food script
carries the "cannot replace medicine" notice)."""

from __future__ import annotations

import pytest

from streaming.categories import CODES
from streaming.generation import generate_builtin
from streaming.linter import ScriptLine, lint_script
from tests.streaming.generation.helpers import every_category, refs


@pytest.mark.parametrize("language", ["zh", "en"])
def test_fifty_seeds_in_every_category_lint_clean(language: str) -> None:
    products = every_category(language)
    known = refs(products)
    for seed in range(50):
        lines = generate_builtin(products=products, language=language, brand_name="Acme", seed=seed, loops=2)
        script = [ScriptLine(line.text, line.language, line.product_ids) for line in lines]
        findings = lint_script(script, language=language, products=known)
        assert [f.as_dict() for f in findings] == []


@pytest.mark.parametrize("category", CODES)
def test_a_single_category_script_lints_clean_with_that_category(category: str) -> None:
    for language in ("zh", "en"):
        products = [p for p in every_category(language) if p.category == category]
        for seed in range(5):
            lines = generate_builtin(products=products, language=language, brand_name="Acme", seed=seed)
            script = [ScriptLine(line.text, line.language, line.product_ids) for line in lines]
            findings = lint_script(script, language=language, category=category, products=refs(products))
            assert [f.as_dict() for f in findings] == []
