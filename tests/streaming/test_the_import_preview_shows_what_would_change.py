from __future__ import annotations

from typing import Any

from audit.models import LedgerEvent
from streaming.models import Product
from streaming.services import create_product, preview_import
from tests.streaming.helpers import products_csv


def test_the_preview_shows_new_changed_and_unchanged_rows_per_field_and_stores_nothing(
    personas: dict[str, Any],
) -> None:
    acme, alice = personas["acme"], personas["alice"]
    create_product(organisation=acme, actor=alice, sku="A", name="Serum", price="99.00", category="cosmetics")
    create_product(organisation=acme, actor=alice, sku="B", name="Mask", price="20.00", category="cosmetics")
    events = LedgerEvent.objects.count()

    preview = preview_import(
        organisation=acme,
        products=products_csv(
            "A,Serum,89.00,CNY,cosmetics,",  # price changed
            "B,Mask,20.00,CNY,cosmetics,",  # unchanged
            "C,Cleanser,45.50,CNY,cosmetics,Gentle|Foaming",  # new
        ),
    )

    assert preview.ok
    by_key = {row.key: row for row in preview.rows}
    assert by_key["A"].action == "changed"
    assert [(c.field, c.old, c.new) for c in by_key["A"].changes] == [("price", "99.00", "89.00")]
    assert by_key["B"].action == "unchanged"
    assert by_key["B"].changes == ()
    assert by_key["C"].action == "new"
    assert by_key["C"].line == 4
    assert preview.counts["products"] == {"new": 1, "changed": 1, "unchanged": 1}
    # A preview changes nothing.
    assert not Product.objects.filter(sku="C").exists()
    assert str(Product.objects.get(sku="A").price) == "99.00"
    assert LedgerEvent.objects.count() == events
