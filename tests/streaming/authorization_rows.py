"""Rows for tests/api/test_authorization_matrix.py covering the catalog API (merged there with
`MATRIX.update(catalog_rows(Row, _statuses))`).

The rows address a REAL product of Acme with one FAQ entry and one image, made on first use (`ctx["catalog"]`).
Acme's members and platform readers read (200); Acme's owner and operator write (201/200/204; the upload routes,
sent no file, answer 400 after the role check) while its viewer, its auditor and platform staff are
refused (403); charlie (Globex) and iris meet Acme's ids as 404. Anonymous callers are refused `not_authenticated`.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any


class CatalogContext:
    def __init__(self, ctx: dict[str, Any]) -> None:
        from PIL import Image

        from streaming.services import add_product_image, create_faq_entry, create_product

        self.product = create_product(
            organisation=ctx["acme"],
            actor=ctx["alice"],
            sku="MATRIX-1",
            name="Matrix mug",
            price="9.90",
            category="home",
        )
        self.faq = create_faq_entry(
            product=self.product, actor=ctx["alice"], language="en", question="Dishwasher safe?", answer="Yes."
        )
        png = io.BytesIO()
        Image.new("RGB", (4, 4), "white").save(png, format="PNG")
        png.seek(0)
        self.image = add_product_image(product=self.product, actor=ctx["alice"], upload=png)


def _catalog(ctx: dict[str, Any]) -> CatalogContext:
    if "catalog" not in ctx:
        ctx["catalog"] = CatalogContext(ctx)
    found: CatalogContext = ctx["catalog"]
    return found


def catalog_rows(row: Callable[..., Any], statuses: Callable[..., dict[str, int]]) -> dict:
    acme = {"kwargs": lambda ctx: {"public_id": ctx["acme"].public_id}}
    product = {"kwargs": lambda ctx: {"product_id": str(_catalog(ctx).product.public_id)}}
    faq = {
        "kwargs": lambda ctx: {
            "product_id": str(_catalog(ctx).product.public_id),
            "faq_id": str(_catalog(ctx).faq.public_id),
        }
    }
    image = {
        "kwargs": lambda ctx: {
            "product_id": str(_catalog(ctx).product.public_id),
            "image_id": str(_catalog(ctx).image.public_id),
        }
    }
    read = statuses(200, charlie=404, iris=404)

    def write(status: int) -> dict[str, int]:
        return statuses(403, alice=status, bob=status, charlie=404, iris=404)

    return {
        ("catalog-api:categories", "GET"): row(statuses(200)),
        ("catalog-api:products", "GET"): row(read, **acme),
        ("catalog-api:products", "POST"): row(
            write(201),
            body=lambda ctx, p: {"sku": f"{p}-1", "name": "Teapot", "price": "59.00", "category": "home"},
            **acme,
        ),
        ("catalog-api:import-preview", "POST"): row(write(400), **acme),
        ("catalog-api:import", "POST"): row(write(400), **acme),
        ("catalog-api:product-detail", "GET"): row(read, **product),
        ("catalog-api:product-detail", "PATCH"): row(write(200), body=lambda ctx, p: {"price": "8.80"}, **product),
        ("catalog-api:product-detail", "DELETE"): row(write(204), **product),
        ("catalog-api:product-images", "POST"): row(write(400), **product),
        ("catalog-api:product-image-detail", "GET"): row(read, **image),
        ("catalog-api:product-image-detail", "DELETE"): row(write(204), **image),
        ("catalog-api:faq", "GET"): row(read, **product),
        ("catalog-api:faq", "POST"): row(
            write(201),
            body=lambda ctx, p: {"language": "zh", "question": "能用洗碗机吗？", "answer": "可以。"},
            **product,
        ),
        ("catalog-api:faq-detail", "GET"): row(read, **faq),
        ("catalog-api:faq-detail", "PATCH"): row(write(200), body=lambda ctx, p: {"answer": "Yes, on top."}, **faq),
        ("catalog-api:faq-detail", "DELETE"): row(write(204), **faq),
    }
