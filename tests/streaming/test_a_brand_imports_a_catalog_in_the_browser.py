from __future__ import annotations

from typing import Any

import pytest

from streaming.models import Product
from tests.portal.conftest import login, page, screenshot  # noqa: F401  (the portal's page fixture)
from tests.streaming.helpers import products_csv

pytestmark = pytest.mark.browser


def _upload(page: Any, data: bytes) -> None:  # noqa: F811
    page.get_by_label("Products file").set_input_files({"name": "products.csv", "mimeType": "text/csv", "buffer": data})
    with page.expect_navigation():
        page.get_by_role("button", name="Preview").click()


def test_alice_previews_fixes_and_applies_a_catalog_import_in_the_browser(
    page: Any,  # noqa: F811
    personas: dict[str, Any],
) -> None:
    login(page, "alice@acme.example", "alice-password-1")
    page.goto("/catalog/")
    with page.expect_navigation():
        page.get_by_test_id("import-link").click()

    # A GB18030 file with a negative price on line 3: the row error names the line, and nothing can be applied.
    _upload(
        page, products_csv("LIP-1,口红,129.00,CNY,cosmetics,持久", "LIP-2,唇釉,-5,CNY,cosmetics,", encoding="gb18030")
    )
    errors = page.get_by_test_id("row-errors")
    assert "A price cannot be negative." in errors.inner_text()
    assert errors.locator("tbody tr").first.locator("td").nth(1).inner_text() == "3"
    assert page.get_by_role("button", name="Apply the import").count() == 0
    screenshot(page, "catalog-import-row-error")

    _upload(
        page, products_csv("LIP-1,口红,129.00,CNY,cosmetics,持久", "LIP-2,唇釉,99,CNY,cosmetics,", encoding="gb18030")
    )
    assert page.locator("[data-testid=changes] tr[data-action=new]").count() == 2
    assert not Product.objects.exists()  # a preview stores nothing
    with page.expect_navigation():
        page.get_by_role("button", name="Apply the import").click()

    assert "Imported: 2 new and 0 changed products" in page.get_by_role("status").inner_text()
    table = page.get_by_test_id("products").inner_text()
    assert "口红" in table
    assert "CNY 99.00" in table  # the money filter: "CNY 99.00" in English, "¥99.00" in Chinese
    screenshot(page, "catalog-after-import")
