from __future__ import annotations

from decimal import Decimal
from typing import Any

from streaming.models import FaqEntry, Product
from streaming.services import import_catalog, preview_import
from tests.streaming.helpers import faq_csv, products_csv


def test_a_gb18030_export_from_a_chinese_spreadsheet_imports_with_its_chinese_text(personas: dict[str, Any]) -> None:
    acme = personas["acme"]
    products = products_csv("LIP-01,丝绒哑光口红,129.00,CNY,cosmetics,持久不脱色|滋润不干", encoding="gb18030")
    faq = faq_csv("LIP-01,zh,会掉色吗？,喝水会掉吗|持久吗,正常饮水不易掉色。", encoding="gb18030")
    # The bytes are not UTF-8: a UTF-8 reader alone would refuse or garble them.
    assert products.decode("utf-8", errors="replace") != products.decode("gb18030")

    preview = preview_import(organisation=acme, products=products, faq=faq)
    assert preview.encodings == {"products": "gb18030", "faq": "gb18030"}

    import_catalog(organisation=acme, actor=personas["alice"], products=products, faq=faq)

    product = Product.objects.get(organisation=acme, sku="LIP-01")
    assert product.name == "丝绒哑光口红"
    assert product.price == Decimal("129.00")
    assert product.selling_points == ["持久不脱色", "滋润不干"]
    entry = FaqEntry.objects.get(product=product)
    assert (entry.language, entry.question, entry.variants) == ("zh", "会掉色吗？", ["喝水会掉吗", "持久吗"])


def test_a_utf8_file_with_a_bom_imports_without_the_bom_in_its_first_column(personas: dict[str, Any]) -> None:
    products = b"\xef\xbb\xbf" + products_csv("TEA-1,Green tea,39.9,,food,")
    import_catalog(organisation=personas["acme"], actor=personas["alice"], products=products)
    product = Product.objects.get(organisation=personas["acme"], sku="TEA-1")
    assert (product.currency, product.price) == ("CNY", Decimal("39.90"))
