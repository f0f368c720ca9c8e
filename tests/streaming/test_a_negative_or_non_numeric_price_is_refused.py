from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from common.api import DomainError
from streaming.models import Product
from streaming.services import create_product, preview_import, update_product
from tests.streaming.helpers import products_csv


@pytest.mark.parametrize("price", ["-5", "abc", "NaN", "1.234", "", "Infinity"])
def test_the_import_refuses_a_bad_price_on_its_line(personas: dict[str, Any], price: str) -> None:
    preview = preview_import(organisation=personas["acme"], products=products_csv(f"A,Thing,{price},CNY,home,"))
    assert [(e.line, e.column) for e in preview.errors] == [(2, "price")]


@pytest.mark.parametrize("price", ["-5", "abc", "-0.01"])
def test_the_service_refuses_a_bad_price(personas: dict[str, Any], price: str) -> None:
    with pytest.raises(DomainError) as refused:
        create_product(
            organisation=personas["acme"], actor=personas["alice"], sku="A", name="T", price=price, category="home"
        )
    assert refused.value.code == "invalid_price"
    assert not Product.objects.exists()


def test_a_float_price_is_a_programming_error(personas: dict[str, Any]) -> None:
    with pytest.raises(TypeError):
        create_product(
            organisation=personas["acme"], actor=personas["alice"], sku="A", name="T", price=1.1, category="home"
        )  # type: ignore[arg-type]


def test_the_api_refuses_a_negative_price_and_keeps_the_old_one(personas: dict[str, Any]) -> None:
    product = create_product(
        organisation=personas["acme"], actor=personas["alice"], sku="A", name="T", price="10.00", category="home"
    )
    client = APIClient()
    client.force_authenticate(personas["alice"])
    response = client.patch(f"/api/v1/products/{product.public_id}/", {"price": "-5"}, format="json")
    assert response.status_code == 400
    assert {"code", "message"} <= set(response.json())
    response = client.post(
        f"/api/v1/organisations/{personas['acme'].public_id}/products/",
        {"sku": "B", "name": "T", "price": "abc", "category": "home"},
        format="json",
    )
    assert response.status_code == 400
    update_product(product=product, actor=personas["alice"], name="Renamed")
    product.refresh_from_db()
    assert product.price == Decimal("10.00")
