"""The template grammar varies the phrasing: loop 2 of a script never repeats loop 1's line word for word, different
seeds give different wording, and the same seed gives the same draft (a draft can be reproduced)."""

from __future__ import annotations

import pytest

from streaming.generation import generate_builtin
from tests.streaming.generation.helpers import every_category


@pytest.mark.parametrize("language", ["zh", "en"])
def test_loop_two_says_every_line_differently_from_loop_one(language: str) -> None:
    products = every_category(language)[:3]
    for seed in range(20):
        lines = generate_builtin(products=products, language=language, brand_name="Acme", seed=seed, loops=2)
        half = len(lines) // 2
        first, second = lines[:half], lines[half:]
        assert [line.intent for line in first] == [line.intent for line in second]
        repeated = [a.text for a, b in zip(first, second, strict=True) if a.text == b.text]
        assert repeated == []


@pytest.mark.parametrize("language", ["zh", "en"])
def test_thirty_seeds_give_many_phrasings_of_each_kind_of_line(language: str) -> None:
    products = every_category(language)[:1]
    drafts = [generate_builtin(products=products, language=language, brand_name="Acme", seed=s) for s in range(30)]
    assert len({tuple(line.text for line in draft) for draft in drafts}) == 30
    for position in range(len(drafts[0])):
        phrasings = {draft[position].text for draft in drafts}
        assert len(phrasings) >= 3, (position, phrasings)


def test_the_same_seed_gives_the_same_draft() -> None:
    products = every_category("zh")[:2]
    once = generate_builtin(products=products, language="zh", brand_name="Acme", seed=7, loops=2)
    again = generate_builtin(products=products, language="zh", brand_name="Acme", seed=7, loops=2)
    assert once == again
