"""Streaming workflows. The catalog's live in catalog.py, the scripts' in scripts.py; both are re-exported here."""

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
from streaming.scripts import (
    approve_script_version,
    begin_script_approval,
    can_approve_scripts,
    can_write_scripts,
    create_script,
    generate_script_draft,
    save_script_version,
    verify_script_approval,
)

__all__ = [
    "ImportPreview",
    "ImportRefusedError",
    "OriginalPrice",
    "add_product_image",
    "approve_script_version",
    "begin_script_approval",
    "can_approve_scripts",
    "can_write_scripts",
    "create_faq_entry",
    "create_product",
    "create_script",
    "delete_faq_entry",
    "delete_product",
    "generate_script_draft",
    "import_catalog",
    "preview_import",
    "remove_product_image",
    "save_script_version",
    "update_faq_entry",
    "update_product",
    "verify_script_approval",
]
