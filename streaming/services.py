"""Streaming workflows. The catalog's live in catalog.py and are re-exported here."""

from __future__ import annotations

from streaming.catalog import (
    ImportPreview,
    ImportRefusedError,
    OriginalPrice,
    add_product_image,
    create_faq_entry,
    create_product,
    delete_faq_entry,
    delete_product,
    import_catalog,
    preview_import,
    remove_product_image,
    update_faq_entry,
    update_product,
)

__all__ = [
    "ImportPreview",
    "ImportRefusedError",
    "OriginalPrice",
    "add_product_image",
    "create_faq_entry",
    "create_product",
    "delete_faq_entry",
    "delete_product",
    "import_catalog",
    "preview_import",
    "remove_product_image",
    "update_faq_entry",
    "update_product",
]
