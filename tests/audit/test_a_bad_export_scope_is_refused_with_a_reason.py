"""A scope that cannot be exported is refused with a reason (400), nothing is queued and nothing is ledgered as
requested: a subject that is not the organisation's, an empty time range, an influencer that does not exist."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from audit.models import AuditExport, LedgerEvent

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"subject": "render_job:nope"}, "Acme has no ledger events under render_job:nope."),
        ({"subject": "no colon"}, "The subject must look like 'render_job:<id>' (a ledger chain)."),
        (
            {"since": "2026-12-02T00:00:00Z", "until": "2026-12-01T00:00:00Z"},
            "The time range is empty: 'since' must come before 'until'.",
        ),
        ({"influencer": "00000000-0000-4000-8000-000000000000"}, "No such influencer."),
    ],
)
def test_a_bad_scope_is_a_400_with_its_reason(personas: dict[str, Any], body: dict[str, str], message: str) -> None:
    client = APIClient()
    client.force_authenticate(personas["audrey"])

    response = client.post("/api/v1/ledger/exports/", {"organisation": "acme", **body}, format="json")

    assert response.status_code == 400
    assert response.json() == {"code": "invalid_scope", "message": message}
    assert not AuditExport.objects.exists()
    assert not LedgerEvent.objects.filter(kind="audit.export_requested").exists()
