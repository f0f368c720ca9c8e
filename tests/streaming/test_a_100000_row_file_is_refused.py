from __future__ import annotations

from typing import Any

import pytest

from common.api import DomainError
from streaming.models import Product
from streaming.services import import_catalog, preview_import
from tests.streaming.helpers import products_csv


def test_a_100000_row_products_file_is_refused_with_a_clear_error(personas: dict[str, Any]) -> None:
    rows = [f"SKU-{n},Product {n},1.00,CNY,other," for n in range(100_000)]
    data = products_csv(*rows)
    assert len(data) < 5 * 1024 * 1024  # under the size limit: the row limit is what refuses it

    with pytest.raises(DomainError) as refused:
        preview_import(organisation=personas["acme"], products=data)
    assert refused.value.code == "too_many_rows"
    assert "more than 10,000 rows" in str(refused.value.detail)

    with pytest.raises(DomainError):
        import_catalog(organisation=personas["acme"], actor=personas["alice"], products=data)
    assert not Product.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(personas: dict[str, Any], settings: Any) -> None:
    import io

    settings.CATALOG_IMPORT_MAX_BYTES = 2048
    stream = io.BytesIO(products_csv(*[f"S{n},Name,1.00,CNY,other," for n in range(1000)]))
    with pytest.raises(DomainError) as refused:
        preview_import(organisation=personas["acme"], products=stream)
    assert refused.value.code == "file_too_large"
    assert stream.tell() <= 2049  # read one byte past the limit, no further
