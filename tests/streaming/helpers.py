"""CSV files of the catalog tests, built in the test (no fixtures on disk)."""

from __future__ import annotations

PRODUCTS_HEADER = "sku,name,price,currency,category,selling_points\n"
FAQ_HEADER = "sku,language,question,variants,answer\n"


def products_csv(*rows: str, encoding: str = "utf-8") -> bytes:
    return (PRODUCTS_HEADER + "".join(f"{row}\n" for row in rows)).encode(encoding)


def faq_csv(*rows: str, encoding: str = "utf-8") -> bytes:
    return (FAQ_HEADER + "".join(f"{row}\n" for row in rows)).encode(encoding)
