"""A NUL character in the path or a query parameter answers 400, never a database error: PostgreSQL refuses NUL in
text, so before this a filter like `?kind=%00` on the ledger API was a 500 (found by the schemathesis run)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/ledger/events/?kind=a%00b",
        "/api/v1/ledger/events/?subject=%00",
        "/api/v1/organisations/?limit=1&x%00=1",
        "/api/v1/consent/grants/%00/",
        "/consent/grants/%00/",
    ],
)
def test_a_nul_character_in_the_address_is_a_400_not_a_database_error(
    url: str, client_for: Callable[[str], APIClient]
) -> None:
    response = client_for("sam").get(url)
    assert response.status_code == 400, response.content[:300]
    if url.startswith("/api/"):
        assert response.json()["code"] == "malformed_request"
