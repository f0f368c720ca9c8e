"""Helpers of the script tests: a catalog product, lines that name it, and a script written by alice."""

from __future__ import annotations

from typing import Any

from streaming.generation import disclosure_line

DISCLOSURE = disclosure_line(language="zh", brand_name="Acme").text


def lipstick(personas: dict[str, Any], *, price: str = "129.00") -> Any:
    from streaming.services import create_product

    return create_product(
        organisation=personas["acme"],
        actor=personas["alice"],
        sku="LIP-1",
        name="丝绒口红",
        price=price,
        category="cosmetics",
    )


def lines_for(product: Any, *, pitch: str = "这款丝绒口红今天只要129元。") -> list[dict[str, Any]]:
    return [
        {"id": "d", "text": DISCLOSURE, "language": "zh", "intent": "disclosure"},
        {"id": "p", "text": pitch, "language": "zh", "intent": "price", "product_ids": [str(product.public_id)]},
    ]


def write_script(personas: dict[str, Any], lines: list[dict[str, Any]], **kwargs: Any) -> Any:
    from streaming.services import create_script

    return create_script(
        organisation=personas["acme"], actor=personas["alice"], title="Lipstick", language="zh", lines=lines, **kwargs
    )
