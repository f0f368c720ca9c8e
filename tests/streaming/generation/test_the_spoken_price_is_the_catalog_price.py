"""The price line says the catalog price so that the linter's price check reads the same number: no price_mismatch
against the product's own price, and one against any other price (so the check really read the line). The original
price is never spoken."""

from __future__ import annotations

from decimal import Decimal

import pytest

from streaming.generation import generate_builtin
from streaming.linter import ProductRef, ScriptLine, lint_script
from tests.streaming.generation.helpers import product

PRICES = ["199", "199.00", "9.9", "9.90", "0.99", "1299.5", "68", "12000", "3.05"]


def _price_findings(lines: list[ScriptLine], language: str, item_id: str, price: Decimal) -> list[str]:
    known = {item_id: ProductRef(id=item_id, name="x", category="cosmetics", price=price)}
    return [f.family for f in lint_script(lines, language=language, products=known) if f.family == "price_mismatch"]


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("price", PRICES)
def test_the_linter_reads_the_catalog_price_back(language: str, price: str) -> None:
    amount = Decimal(price)
    item = product("cosmetics", language=language, price=amount, original_price=Decimal("99999"))
    for seed in range(8):
        drafted = generate_builtin(products=[item], language=language, brand_name="Acme", seed=seed)
        priced = [line for line in drafted if line.intent == "price"]
        assert len(priced) == 1
        assert "99999" not in " ".join(line.text for line in drafted)
        lines = [ScriptLine(line.text, line.language, line.product_ids) for line in drafted]
        assert _price_findings(lines, language, item.id, amount) == []
        assert _price_findings(lines, language, item.id, amount + Decimal("1")) == ["price_mismatch"]


def test_a_product_without_a_price_gets_no_price_line() -> None:
    drafted = generate_builtin(products=[product(price=None)], language="zh", brand_name="Acme", seed=1)
    assert "price" not in {line.intent for line in drafted}
