"""Iris excluded alcohol in her signed consent. A stream whose approved script presents an alcohol product fails the
virtual-image consent rule, naming the product and the grant; one presenting a snack passes."""

from __future__ import annotations

from typing import Any

from streaming.services import create_product
from tests.compliance.streams import results, stream


def _product(personas: dict[str, Any], category: str) -> Any:
    return create_product(
        organisation=personas["acme"],
        actor=personas["alice"],
        sku=category,
        name=f"A {category}",
        price="1.00",
        category=category,
    )


def test_a_stream_presenting_a_product_the_consent_excludes_fails(personas: dict[str, Any]) -> None:
    wine = _product(personas, "alcohol")

    job = stream(
        personas, product_ids=(str(wine.public_id),), grant_kwargs={"excluded_product_categories": ("alcohol",)}
    )

    outcome = results(job)["CN-LIVEMKT-VIRTUAL-IMAGE-CONSENT"]
    assert outcome.result == "fail"
    assert "A alcohol" in outcome.detail
    assert outcome.evidence[0].startswith("grant:")


def test_a_product_the_consent_allows_passes(personas: dict[str, Any]) -> None:
    snack = _product(personas, "food")

    job = stream(
        personas, product_ids=(str(snack.public_id),), grant_kwargs={"excluded_product_categories": ("alcohol",)}
    )

    assert results(job)["CN-LIVEMKT-VIRTUAL-IMAGE-CONSENT"].result == "pass"
