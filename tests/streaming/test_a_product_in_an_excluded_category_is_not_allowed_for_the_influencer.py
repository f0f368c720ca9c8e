from __future__ import annotations

from typing import Any

from streaming.consent_scope import product_allowed_for
from streaming.models import Product
from streaming.services import create_product
from tests.consent.helpers import revoke_with_passkey
from tests.render.conftest import render_environment  # noqa: F401  (keys for signing real grants)
from tests.render.helpers import grant_for


def _product(personas: dict[str, Any], category: str) -> Product:
    return create_product(
        organisation=personas["acme"],
        actor=personas["alice"],
        sku=category,
        name=f"A {category}",
        price="1.00",
        category=category,
    )


def test_a_category_the_signed_consent_excludes_refuses_the_product_with_a_reason(personas: dict[str, Any]) -> None:
    # Exclusions are free text in the consent: by code, or by a category's Chinese name.
    grant = grant_for(personas, excluded_product_categories=("alcohol", "保健食品"))
    wine, pills, mug = _product(personas, "alcohol"), _product(personas, "health_food"), _product(personas, "home")

    decision = product_allowed_for(grant, wine)
    assert not decision
    assert decision.reason == "excluded_product_category"
    assert "Alcohol" in decision.message
    assert decision.grant == str(grant.public_id)
    assert not product_allowed_for(grant, pills)
    assert product_allowed_for(grant, mug)

    # By influencer: every signed, live grant to the product's brand counts.
    influencer = personas["iris"].influencer
    assert not product_allowed_for(influencer, wine)
    assert product_allowed_for(influencer, mug)

    # A revoked consent no longer decides anything for the influencer.
    revoke_with_passkey(grant, grant.authenticator, personas["iris"])
    assert product_allowed_for(influencer, wine)
