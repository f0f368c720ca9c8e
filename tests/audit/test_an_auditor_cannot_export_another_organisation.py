"""Acme's auditor asking for Globex's bundle is refused with a reason, and the refusal is in the ledger."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from audit.models import AuditExport, LedgerEvent

pytestmark = pytest.mark.postgres


def test_audrey_is_refused_globex_and_the_refusal_is_ledgered(personas: dict[str, Any]) -> None:
    client = APIClient()
    client.force_authenticate(personas["audrey"])

    response = client.post("/api/v1/ledger/exports/", {"organisation": "globex"}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "organisation_out_of_scope"
    assert "You are not an auditor of 'globex'" in response.json()["message"]
    assert not AuditExport.objects.exists()
    refusal = LedgerEvent.objects.get(kind="audit.export_refused")
    assert refusal.subject == f"user:{personas['audrey'].public_id}"
    assert json.loads(refusal.payload) == {"organisation": "globex", "reason": "organisation_out_of_scope"}
    assert refusal.actor == personas["audrey"].ledger_actor
