from __future__ import annotations

from typing import Any

import pytest

from common.api import DomainError
from streaming.services import preview_import
from tests.streaming.helpers import products_csv


def test_a_products_file_without_the_price_column_is_refused_naming_it(personas: dict[str, Any]) -> None:
    data = b"sku,name,currency,category,selling_points\nA,Thing,CNY,home,\n"
    with pytest.raises(DomainError) as refused:
        preview_import(organisation=personas["acme"], products=data)
    assert refused.value.code == "missing_column"
    assert "no column price" in str(refused.value.detail)


def test_an_faq_file_without_the_answer_column_is_refused(personas: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as refused:
        preview_import(organisation=personas["acme"], faq=b"sku,language,question,variants\n")
    assert refused.value.code == "missing_column"


@pytest.mark.parametrize(
    "data",
    [
        "sku,name,price,currency,category,selling_points\nA,Thing,1.00,CNY,home,\n".encode("utf-16"),
        "sku,name,price,currency,category,selling_points\nA,Café,1.00,CNY,home,\n".encode("latin-1"),
        bytes(range(256)) * 4,
    ],
    ids=["utf-16", "latin-1", "binary"],
)
def test_a_file_in_an_unknown_encoding_is_refused(personas: dict[str, Any], data: bytes) -> None:
    with pytest.raises(DomainError) as refused:
        preview_import(organisation=personas["acme"], products=data)
    assert refused.value.code == "unknown_encoding"
    assert "neither UTF-8 nor GB18030" in str(refused.value.detail)


def test_extra_columns_are_ignored(personas: dict[str, Any]) -> None:
    data = b"sku,name,price,currency,category,selling_points,warehouse\nA,Thing,1.00,CNY,home,,Shanghai\n"
    preview = preview_import(organisation=personas["acme"], products=data)
    assert preview.ok
    assert preview.rows[0].action == "new"
    assert products_csv()  # the helper's header is the documented one
