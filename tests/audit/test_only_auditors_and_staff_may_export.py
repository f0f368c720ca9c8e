"""An organisation's owner (not an auditor) may read its ledger but not export it: refused and ledgered."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from audit.models import LedgerEvent

pytestmark = pytest.mark.postgres


def test_alice_the_owner_is_refused_an_export_of_her_own_brand(personas: dict[str, Any]) -> None:
    client = APIClient()
    client.force_authenticate(personas["alice"])

    response = client.post("/api/v1/ledger/exports/", {"organisation": "acme"}, format="json")

    assert response.status_code == 403
    assert response.json() == {
        "code": "not_an_auditor",
        "message": "Only auditors and platform staff may export the ledger.",
    }
    assert LedgerEvent.objects.filter(
        kind="audit.export_refused", subject=f"user:{personas['alice'].public_id}"
    ).exists()
    assert client.get("/api/v1/ledger/exports/").status_code == 403
