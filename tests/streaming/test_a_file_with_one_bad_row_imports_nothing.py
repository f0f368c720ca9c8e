from __future__ import annotations

from typing import Any

import pytest

from audit.models import LedgerEvent
from streaming.models import FaqEntry, Product
from streaming.services import ImportRefusedError, import_catalog
from tests.streaming.helpers import faq_csv, products_csv


def test_one_bad_row_refuses_the_whole_import_with_its_line_number_and_stores_nothing(
    personas: dict[str, Any],
) -> None:
    acme = personas["acme"]
    events = LedgerEvent.objects.count()
    products = products_csv(
        "OK-1,Good product,10.00,CNY,home,",
        "OK-2,Another,12.00,CNY,home,",
        "BAD-3,Bad category,5.00,CNY,spaceships,",  # line 4
        "OK-1,Duplicate sku,10.00,CNY,home,",  # line 5
    )
    faq = faq_csv("OK-1,en,Is it good?,,Yes.", "NOPE,en,Who?,,Nobody.")

    with pytest.raises(ImportRefusedError) as refused:
        import_catalog(organisation=acme, actor=personas["alice"], products=products, faq=faq)

    errors = {(e.file, e.line, e.column) for e in refused.value.preview.errors}
    assert errors == {("products", 4, "category"), ("products", 5, "sku"), ("faq", 3, "sku")}
    assert "spaceships" in next(e.message for e in refused.value.preview.errors if e.line == 4)
    assert "line 2" in next(e.message for e in refused.value.preview.errors if e.line == 5)
    assert refused.value.code == "import_has_errors"
    assert not Product.objects.filter(organisation=acme).exists()
    assert not FaqEntry.objects.exists()
    assert LedgerEvent.objects.count() == events


def test_the_api_answers_a_refused_import_with_each_row_error(personas: dict[str, Any]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(personas["bob"])
    upload = SimpleUploadedFile("p.csv", products_csv("X,Thing,abc,CNY,home,"), content_type="text/csv")
    response = client.post(
        f"/api/v1/organisations/{personas['acme'].public_id}/catalog-import/", {"products": upload}, format="multipart"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_has_errors"
    assert body["row_errors"] == [
        {"file": "products", "line": 2, "column": "price", "message": "“abc” is not a price; write it like 199.00."}
    ]
    assert not Product.objects.exists()
