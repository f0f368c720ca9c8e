"""The usage CSV, from the brand's page, the brand's API and the influencer's page and API: one row per grant,
brand and Shanghai day with live minutes, seconds, segments, distinct script versions and the day's limit; a stage
name that a spreadsheet would run as a formula is written as text."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import InfluencerProfile
from tests.streaming.metering.helpers import FROM, TO, usage_world

pytestmark = pytest.mark.django_db


def _rows(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="veracast-usage-')
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_usage_csv_content(client: Client, personas: dict[str, Any]) -> None:
    world = usage_world(personas)
    InfluencerProfile.objects.filter(user=personas["iris"]).update(stage_name='=HYPERLINK("http://x")')
    expected = [
        {
            "day": "2026-03-10",
            "grant": str(world.grant.public_id),
            "influencer": '\'=HYPERLINK("http://x")',
            "brand_id": str(personas["acme"].public_id),
            "brand": "Acme",
            "live_minutes": "3.00",  # 2 streams x 3 x 30 s
            "live_seconds": "180.000",
            "segments": "6",
            "scripts": "1",
            "hours_per_day": "2",
        },
        {
            "day": "2026-03-11",
            "grant": str(world.grant.public_id),
            "influencer": '\'=HYPERLINK("http://x")',
            "brand_id": str(personas["acme"].public_id),
            "brand": "Acme",
            "live_minutes": "0.20",
            "live_seconds": "12.000",
            "segments": "2",
            "scripts": "0",
            "hours_per_day": "2",
        },
    ]
    query = {"from": FROM, "to": TO}
    acme = str(personas["acme"].public_id)

    client.force_login(personas["alice"])
    assert _rows(client.get(reverse("streams:usage-csv", args=[acme]), query)) == expected
    assert _rows(client.get(f"/api/v1/organisations/{acme}/licence-usage.csv", query)) == expected
    # a range that ends before the second day
    assert _rows(client.get(reverse("streams:usage-csv", args=[acme]), {"from": FROM, "to": "2026-03-10"})) == [
        expected[0]
    ]

    client.force_login(personas["iris"])
    assert _rows(client.get(reverse("likeness:usage-csv"), query)) == expected
    assert _rows(client.get("/api/v1/me/licence-usage.csv", query)) == expected
