"""The demo's catalog: two Acme products with FAQ in Chinese and English, imported through the same CSV import as
the portal and `import_catalog` (called from `manage.py demo`). Running it again changes nothing."""

from __future__ import annotations

from typing import Any

from accounts.models import Organisation, User
from streaming.models import Product
from streaming.services import import_catalog

PRODUCTS_CSV = """sku,name,price,currency,category,selling_points
ACME-LIP-01,丝绒哑光口红 01 号,129.00,CNY,cosmetics,持久显色|轻薄不拔干|小巧便携
ACME-MUG-02,Double-wall glass mug 350 ml,59.00,CNY,home,Keeps drinks warm|Dishwasher safe|Borosilicate glass
"""

FAQ_CSV = """sku,language,question,variants,answer
ACME-LIP-01,zh,会掉色吗？,喝水会掉色吗|持久吗,正常饮水不易掉色，用餐后建议补涂。
ACME-LIP-01,en,Does it smudge?,Is it long-lasting?|Will it transfer?,It resists light transfer; reapply after meals.
ACME-MUG-02,en,Is it microwave safe?,Can I microwave it?,Yes, without the lid.
ACME-MUG-02,zh,可以放进微波炉吗？,能用微波炉加热吗,可以，请先取下杯盖。
"""


def run_catalog_demo(*, brand: Organisation, actor: User) -> list[dict[str, Any]]:
    import_catalog(
        organisation=brand, actor=actor, products=PRODUCTS_CSV.encode("utf-8"), faq=FAQ_CSV.encode("gb18030")
    )
    products = Product.objects.filter(organisation=brand, sku__in=["ACME-LIP-01", "ACME-MUG-02"]).order_by("sku")
    return [
        {
            "id": str(product.public_id),
            "sku": product.sku,
            "name": product.name,
            "price": str(product.price),
            "currency": product.currency,
            "category": product.category,
            "faq": [{"language": e.language, "question": e.question} for e in product.faq.order_by("language", "pk")],
        }
        for product in products
    ]
