from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.parametrize(
    ("persona", "status"),
    [("alice", 200), ("audrey", 200), ("sam", 200), ("bob", 404), ("victor", 404), ("charlie", 404)],
)
def test_compliance_is_shown_only_to_owners_reviewers_auditors_and_staff(
    client: Client, personas: dict[str, Any], persona: str, status: int
) -> None:
    client.force_login(personas[persona])

    dashboard = client.get(reverse("compliance:dashboard", args=["acme"]))
    pdf = client.get(reverse("compliance:report-pdf", args=["acme"]))

    assert dashboard.status_code == status
    assert pdf.status_code == status
    if status == 404:
        # Another brand's records are not confirmed to exist, and nothing was ledgered for the attempt's report.
        assert "No such organisation." in dashboard.content.decode()


def test_a_bad_period_is_refused_with_a_reason(client: Client, personas: dict[str, Any]) -> None:
    client.force_login(personas["audrey"])

    response = client.get(reverse("compliance:dashboard", args=["acme"]), {"since": "2026-13-01"})

    assert response.status_code == 400
    assert "Dates are written like 2026-01-31." in response.content.decode()
