"""Generating from catalog products (built-in generator, through the API) stores a script whose first version is a
draft like any other: source builtin, linted, unapproved, with its script.generated event."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from audit.models import LedgerEvent
from streaming.models import Script
from tests.streaming.scripts.helpers import lipstick


def test_a_generated_draft(personas: dict[str, Any]) -> None:
    product = lipstick(personas)
    client = APIClient()
    client.force_authenticate(personas["alice"])
    response = client.post(
        f"/api/v1/organisations/{personas['acme'].public_id}/scripts/generate/",
        {"product_ids": [str(product.public_id)], "language": "zh", "seed": 3},
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    latest = data["latest"]
    assert (latest["number"], latest["source"], latest["approval"]) == (1, "builtin", None)
    assert latest["lines"][0]["intent"] == "disclosure"
    assert any(str(product.public_id) in line["product_ids"] for line in latest["lines"])
    script = Script.objects.get(public_id=data["id"])
    kinds = list(LedgerEvent.objects.filter(subject=script.subject).order_by("seq").values_list("kind", flat=True))
    assert kinds == ["script.created", "script.version_saved", "script.generated"]
    bob = APIClient()
    bob.force_authenticate(personas["bob"])  # operators run streams; they do not write scripts
    refused = bob.post(
        f"/api/v1/organisations/{personas['acme'].public_id}/scripts/generate/",
        {"product_ids": [str(product.public_id)], "language": "zh"},
        format="json",
    )
    assert refused.status_code == 403
