from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from audit.models import LedgerEvent
from streaming.models import FaqEntry, Product
from tests.streaming.helpers import faq_csv, products_csv


def test_the_command_previews_with_dry_run_then_applies(personas: dict[str, Any], tmp_path: Path) -> None:
    products = tmp_path / "products.csv"
    faq = tmp_path / "faq.csv"
    products.write_bytes(products_csv("MUG-1,Mug,25.00,CNY,home,Dishwasher safe", "MUG-2,马克杯,30,CNY,home,"))
    faq.write_bytes(faq_csv("MUG-1,en,Is it microwave safe?,Microwave?,Yes.", "MUG-2,zh,能进微波炉吗,,可以。"))

    out = StringIO()
    call_command(
        "import_catalog", "--brand", "acme", "--products", str(products), "--faq", str(faq), "--dry-run", stdout=out
    )
    assert "Would import into acme: products 2 new" in out.getvalue()
    assert "products line 2: new MUG-1" in out.getvalue()
    assert not Product.objects.exists()

    out = StringIO()
    call_command("import_catalog", "--brand", "acme", "--products", str(products), "--faq", str(faq), stdout=out)
    assert "Imported into acme: products 2 new, 0 changed" in out.getvalue()
    assert set(Product.objects.filter(organisation=personas["acme"]).values_list("sku", flat=True)) == {
        "MUG-1",
        "MUG-2",
    }
    assert FaqEntry.objects.count() == 2
    event = LedgerEvent.objects.get(kind="catalog.imported")
    assert event.payload_data["products"] == {"new": 2, "changed": 0, "unchanged": 0}

    # The same files again change nothing.
    out = StringIO()
    call_command("import_catalog", "--brand", "acme", "--products", str(products), stdout=out)
    assert "products 0 new, 0 changed, 2 unchanged" in out.getvalue()


def test_the_command_lists_row_errors_and_stores_nothing(personas: dict[str, Any], tmp_path: Path) -> None:
    products = tmp_path / "products.csv"
    products.write_bytes(products_csv("A,Thing,-5,CNY,home,"))
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_catalog", "--brand", "acme", "--products", str(products), stderr=err)
    assert "products line 2, price: A price cannot be negative." in err.getvalue()
    assert not Product.objects.exists()
    with pytest.raises(CommandError, match="No brand has the slug"):
        call_command("import_catalog", "--brand", "nobody", "--products", str(products))
