"""The one place the linter meets Django: the catalog price for `lint_script --price-check PRODUCT_ID`.

Django is imported inside the function, so the rest of the linter stays importable without it. Until the catalog
(streaming.Product) is installed this raises a clear "catalog not available" CommandError (exit status 2).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any


def catalog_price(product_id: str) -> Decimal | None:
    """The CNY price of a catalog product (its public UUID or its numeric id), None if there is no such product."""
    from django.apps import apps
    from django.core.management.base import CommandError

    try:
        product_model = apps.get_model("streaming", "Product")
    except LookupError:
        raise CommandError(
            "catalog not available: --price-check needs the product catalog (streaming.Product), which is not "
            "installed in this deployment",
            returncode=2,
        ) from None
    lookup: dict[str, Any]
    try:
        lookup = {"public_id": uuid.UUID(product_id)}
    except ValueError:
        if not product_id.isdigit():
            raise CommandError(f"{product_id!r} is not a product id (a UUID or a number)", returncode=2) from None
        lookup = {"pk": int(product_id)}
    product = product_model._default_manager.filter(**lookup).first()
    if product is None:
        return None
    currency = getattr(product, "currency", "CNY")
    if currency != "CNY":
        raise CommandError(f"the price check compares CNY amounts; this product is priced in {currency}", returncode=2)
    return Decimal(product.price)
