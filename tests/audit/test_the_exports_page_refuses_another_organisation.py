"""On /audit/exports/, Acme's auditor is offered only Acme; a forged form for Globex is refused on the page (403,
with the reason) and ledgered. Someone who audits nothing is told who may export."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from audit.models import AuditExport, LedgerEvent

pytestmark = pytest.mark.postgres


def test_the_page_offers_own_organisations_and_refuses_others(client: Client, personas: dict[str, Any]) -> None:
    client.force_login(personas["audrey"])
    page = client.get("/audit/exports/")
    assert page.status_code == 200
    assert [o.slug for o in page.context["organisations"]] == ["acme"]

    response = client.post("/audit/exports/", {"organisation": "globex"})

    assert response.status_code == 403
    assert "You are not an auditor of &#x27;globex&#x27;" in response.content.decode()
    assert not AuditExport.objects.exists()
    assert LedgerEvent.objects.filter(kind="audit.export_refused").count() == 1

    client.force_login(personas["bob"])
    response = client.get("/audit/exports/")
    assert response.status_code == 403
    assert "Exports are open to auditors of an organisation and to platform staff." in response.content.decode()
