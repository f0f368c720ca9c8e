from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from audit.models import LedgerEvent
from common.api import DomainError
from streaming.services import OriginalPrice, create_product, update_product


def test_an_original_price_is_stored_only_with_evidence_and_a_past_period(personas: dict[str, Any]) -> None:
    product = create_product(
        organisation=personas["acme"],
        actor=personas["alice"],
        sku="S",
        name="Serum",
        price="99.00",
        category="cosmetics",
    )
    today = timezone.localdate()
    last_month = today - timedelta(days=40), today - timedelta(days=10)

    with pytest.raises(DomainError) as refused:
        update_product(product=product, actor=personas["alice"], original_price=OriginalPrice("129.00", *last_month))
    assert refused.value.code == "original_price_without_evidence"

    next_week = today, today + timedelta(days=7)
    with pytest.raises(DomainError) as refused:
        update_product(
            product=product, actor=personas["alice"], original_price=OriginalPrice("129.00", *next_week, note="Tmall")
        )
    assert refused.value.code == "original_price_not_past"

    with pytest.raises(DomainError) as refused:
        update_product(
            product=product,
            actor=personas["alice"],
            original_price=OriginalPrice("129.00", *last_month, evidence=io.BytesIO(b"just some text")),
        )
    assert refused.value.code == "invalid_image"  # evidence files are images or PDFs

    product = update_product(
        product=product,
        actor=personas["alice"],
        original_price=OriginalPrice(
            "129.00", *last_month, note="Tmall store price", evidence=io.BytesIO(b"%PDF-1.4 receipt")
        ),
    )
    assert product.original_price == Decimal("129.00")
    assert product.original_price_evidence.endswith(".pdf")
    changes = LedgerEvent.objects.filter(kind="product.updated").latest("id").payload_data["changes"]
    assert changes["original_price"] == [None, "129.00"]
