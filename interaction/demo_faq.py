"""The demo brand's FAQ (data/demo_faq.yaml) loaded through the catalog's own services: the tests, the bench and
the demo share it. Returns {key: {"zh": FaqEntry, "en": FaqEntry}}."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from accounts.models import Organisation, User
    from streaming.models import FaqEntry

DATA = Path(__file__).resolve().parent / "data" / "demo_faq.yaml"


def demo_faq_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return data


def load_demo_faq(*, organisation: Organisation, actor: User) -> dict[str, dict[str, FaqEntry]]:
    from streaming.services import create_faq_entry, create_product

    out: dict[str, dict[str, FaqEntry]] = {}
    for spec in demo_faq_data()["products"]:
        product = create_product(
            organisation=organisation,
            actor=actor,
            sku=spec["sku"],
            name=spec["name"],
            price=spec["price"],
            category=spec["category"],
        )
        for faq in spec["faq"]:
            for lang in ("zh", "en"):
                item = faq[lang]
                out.setdefault(faq["key"], {})[lang] = create_faq_entry(
                    product=product,
                    actor=actor,
                    language=lang,
                    question=item["q"],
                    answer=item["a"],
                    variants=item.get("v", []),
                )
    return out
