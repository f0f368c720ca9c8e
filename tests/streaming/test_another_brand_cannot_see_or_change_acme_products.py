from __future__ import annotations

from typing import Any

from django.test import Client
from rest_framework.test import APIClient

from streaming.models import FaqEntry, Product
from streaming.services import create_faq_entry, create_product


def _acme_product(personas: dict[str, Any]) -> Product:
    product = create_product(
        organisation=personas["acme"],
        actor=personas["alice"],
        sku="SECRET",
        name="Acme secret",
        price="9.00",
        category="food",
    )
    create_faq_entry(product=product, actor=personas["alice"], language="en", question="Why?", answer="Because.")
    return product


def test_globex_meets_acme_products_as_if_they_did_not_exist(personas: dict[str, Any]) -> None:
    product = _acme_product(personas)
    entry = product.faq.get()
    charlie = APIClient()
    charlie.force_authenticate(personas["charlie"])

    assert charlie.get(f"/api/v1/organisations/{personas['acme'].public_id}/products/").status_code == 404
    assert charlie.get(f"/api/v1/products/{product.public_id}/").status_code == 404
    assert charlie.patch(f"/api/v1/products/{product.public_id}/", {"name": "Mine"}, format="json").status_code == 404
    assert charlie.delete(f"/api/v1/products/{product.public_id}/").status_code == 404
    assert charlie.get(f"/api/v1/products/{product.public_id}/faq/").status_code == 404
    assert (
        charlie.patch(f"/api/v1/products/{product.public_id}/faq/{entry.public_id}/", {"answer": "x"}, format="json")
    ).status_code == 404
    # Globex's own list does not include it either.
    listed = charlie.get(f"/api/v1/organisations/{personas['globex'].public_id}/products/").json()
    assert listed == []

    pages = Client()
    pages.force_login(personas["charlie"])
    assert pages.get(f"/catalog/products/{product.public_id}/").status_code == 404
    assert pages.get(f"/catalog/?brand={personas['acme'].public_id}").status_code == 404
    assert pages.post(f"/catalog/products/{product.public_id}/", {"name": "Mine"}).status_code == 404
    assert pages.get(f"/catalog/brands/{personas['acme'].public_id}/import/").status_code == 404
    assert "Acme secret" not in pages.get("/catalog/").content.decode()

    product.refresh_from_db()
    assert product.name == "Acme secret"
    assert FaqEntry.objects.get().answer == "Because."


def test_acme_viewers_and_auditors_read_but_do_not_change_the_catalog(personas: dict[str, Any]) -> None:
    product = _acme_product(personas)
    for persona in ("victor", "audrey"):
        client = APIClient()
        client.force_authenticate(personas[persona])
        assert client.get(f"/api/v1/products/{product.public_id}/").status_code == 200
        response = client.patch(f"/api/v1/products/{product.public_id}/", {"name": "Changed"}, format="json")
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
    bob = APIClient()
    bob.force_authenticate(personas["bob"])  # Acme's operator writes
    assert bob.patch(f"/api/v1/products/{product.public_id}/", {"name": "Changed"}, format="json").status_code == 200
