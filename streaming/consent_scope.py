"""Whether a consent lets an influencer's avatar voice a script about a product: the scope's
`excluded_product_categories`. Script approval and the render check call `product_allowed_for`.

The exclusions are read from the signed scope document (`scope_canonical`), as the gate does, never from the parsed
`scope` column. Influencers type exclusions as free text, so an exclusion matches a product's category by code or by
its English or Chinese name (`categories.matches_exclusion`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from accounts.models import InfluencerProfile
from consent.models import ConsentGrant
from streaming import categories
from streaming.models import Product

LIVE_STATUSES = ConsentGrant.SIGNED_LIVE_STATUSES


@dataclass(frozen=True)
class ProductDecision:
    allowed: bool
    reason: str  # "" when allowed; else a stable code: "excluded_product_category"
    message: str
    grant: str = ""  # the grant whose exclusion refused it

    def __bool__(self) -> bool:
        return self.allowed


def _exclusions(grant: ConsentGrant) -> list[str]:
    try:
        document: dict[str, Any] = json.loads(grant.scope_canonical) if grant.scope_canonical else grant.scope
    except ValueError:
        document = {}
    limits = document.get("limits") or {}
    return [str(e) for e in limits.get("excluded_product_categories") or []]


def product_allowed_for(subject: InfluencerProfile | ConsentGrant, product: Product) -> ProductDecision:
    """Refused when the grant (or any live grant of the influencer to the product's brand) excludes the product's
    category. With an influencer, every active or pending grant naming the brand counts: whichever grant a later
    render uses, an exclusion the influencer signed anywhere for this brand holds."""
    if isinstance(subject, ConsentGrant):
        grants = [subject]
    else:
        grants = list(
            ConsentGrant.objects.filter(influencer=subject, brands=product.organisation, status__in=LIVE_STATUSES)
        )
    for grant in grants:
        for exclusion in _exclusions(grant):
            if categories.matches_exclusion(product.category, exclusion):
                category = categories.BY_CODE[product.category]
                return ProductDecision(
                    allowed=False,
                    reason="excluded_product_category",
                    message=(
                        f"The influencer's consent excludes {category.en} ({category.zh}) products, "
                        f"so {product.name} cannot appear in a script voiced by their avatar."
                    ),
                    grant=str(grant.public_id),
                )
    return ProductDecision(allowed=True, reason="", message="")
