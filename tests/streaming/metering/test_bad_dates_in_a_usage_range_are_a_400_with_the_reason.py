"""A usage range that is not two YYYY-MM-DD dates, that ends before it starts or that spans more than 366 days is
a 400 that says why: as text from the CSV downloads, as the shared error body from the API, and as a sentence on
the pages (which then show the default range)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

BAD = [
    ({"from": "2026-13-01"}, "invalid_date", "from must be a date written YYYY-MM-DD"),
    ({"to": "yesterday"}, "invalid_date", "to must be a date written YYYY-MM-DD"),
    ({"from": "2026-03-10", "to": "2026-03-01"}, "invalid_date_range", "from must not be after to"),
    ({"from": "2024-01-01", "to": "2026-03-01"}, "date_range_too_long", "at most 366 days"),
]


@pytest.mark.parametrize(("query", "code", "reason"), BAD)
def test_bad_ranges_are_refused_with_the_reason(
    client: Client, personas: dict[str, Any], query: dict[str, str], code: str, reason: str
) -> None:
    acme = str(personas["acme"].public_id)
    client.force_login(personas["alice"])
    download = client.get(reverse("streams:usage-csv", args=[acme]), query)
    assert download.status_code == 400
    assert reason in download.content.decode()
    api = client.get(f"/api/v1/organisations/{acme}/licence-usage.csv", query)
    assert api.status_code == 400
    assert api.json()["code"] == code
    assert reason in api.json()["message"]
    page = client.get(reverse("streams:dashboard", args=[acme]), query)
    assert page.status_code == 400
    assert reason in page.content.decode()

    client.force_login(personas["iris"])
    mine = client.get(reverse("likeness:usage-csv"), query)
    assert mine.status_code == 400
    assert reason in mine.content.decode()
    assert client.get("/api/v1/me/licence-usage.csv", query).json()["code"] == code
    assert client.get(reverse("likeness:mine"), query).status_code == 400
