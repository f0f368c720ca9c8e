from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from streaming.models import FaqEntry, Product


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="PNG")
    return out.getvalue()


def test_an_operator_adds_a_product_with_an_faq_and_an_image_and_a_viewer_only_reads_it(
    personas: dict[str, Any],
) -> None:
    acme = personas["acme"]
    bob = Client()
    bob.force_login(personas["bob"])
    response = bob.post(
        f"/catalog/brands/{acme.public_id}/new/",
        {
            "sku": "TEA-9",
            "name": "龙井茶",
            "price": "88.8",
            "currency": "cny",
            "category": "food",
            "selling_points": "明前\n手工",
        },
    )
    product = Product.objects.get(organisation=acme, sku="TEA-9")
    assert response.status_code == 302
    assert (str(product.price), product.currency, product.selling_points) == ("88.80", "CNY", ["明前", "手工"])

    bob.post(
        f"/catalog/products/{product.public_id}/faq/",
        {"language": "zh", "question": "保质期多久？", "variants": "能放多久", "answer": "十八个月。"},
    )
    assert FaqEntry.objects.get(product=product).variants == ["能放多久"]
    bob.post(
        f"/catalog/products/{product.public_id}/images/",
        {"image": SimpleUploadedFile("tea.png", _png(), content_type="image/png")},
    )
    assert product.images.count() == 1

    # A refusal is a sentence on the page, not an error page; nothing changes.
    response = bob.post(
        f"/catalog/products/{product.public_id}/",
        {"sku": "TEA-9", "name": "龙井茶", "price": "-1", "category": "food"},
        follow=True,
    )
    assert response.status_code == 200
    assert "A price cannot be negative." in response.content.decode()
    product.refresh_from_db()
    assert str(product.price) == "88.80"

    victor = Client()
    victor.force_login(personas["victor"])
    page = victor.get(f"/catalog/products/{product.public_id}/").content.decode()
    assert "龙井茶" in page
    assert "保质期多久？" in page
    assert "lets you read its catalog, not change it" in page
    assert victor.post(f"/catalog/products/{product.public_id}/", {"name": "Changed"}).status_code == 403
    assert victor.get(f"/catalog/brands/{acme.public_id}/import/").status_code == 403


def test_only_a_real_image_is_stored_for_a_product(personas: dict[str, Any]) -> None:
    from rest_framework.test import APIClient

    alice = APIClient()
    alice.force_authenticate(personas["alice"])
    created = alice.post(
        f"/api/v1/organisations/{personas['acme'].public_id}/products/",
        {"sku": "X", "name": "X", "price": "1.00", "category": "other"},
        format="json",
    ).json()
    product_id = created["id"]
    fake = SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\nnot really an image", content_type="image/png")
    response = alice.post(f"/api/v1/products/{product_id}/images/", {"image": fake}, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_image"
    real = SimpleUploadedFile("x.png", _png(), content_type="image/png")
    response = alice.post(f"/api/v1/products/{product_id}/images/", {"image": real}, format="multipart")
    assert response.status_code == 201
    assert (response.json()["width"], response.json()["content_type"]) == (8, "image/png")
    image = alice.get(f"/api/v1/products/{product_id}/images/{response.json()['id']}/")
    assert image.content == _png()
