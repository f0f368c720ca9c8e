"""Every built-in line can be spoken: within the TTS length limit, something to pronounce, and no Chinese characters
for an English voice, even when the catalog's names and selling points are Chinese or absurdly long."""

from __future__ import annotations

from decimal import Decimal

import pytest

from render.engine.speech.text import prepare_text
from streaming.generation import generate_builtin
from tests.streaming.generation.helpers import every_category, product


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_line_passes_prepare_text(language: str) -> None:
    products = [
        *every_category(language),
        product("food", language=language, index=40, name="鲜榨橙汁", selling_points=("每天现榨", "x" * 500)),
        product("home", language=language, index=41, name="Lamp " * 40, currency="USD", price=Decimal("12.5")),
    ]
    for seed in range(10):
        for line in generate_builtin(products=products, language=language, brand_name="益达", seed=seed, loops=2):
            assert prepare_text(line.text, language=line.language), line.text
            assert len(line.text) <= 300, line.text


def test_english_lines_never_carry_chinese_catalog_text() -> None:
    chinese = product("food", language="zh", index=1, name="鲜榨橙汁")
    lines = generate_builtin(products=[chinese], language="en", brand_name="果园", seed=3)
    text = " ".join(line.text for line in lines)
    assert "鲜榨" not in text
    assert "每天" not in text
    assert "果园" not in text
    assert "product number 1" in text.lower()
