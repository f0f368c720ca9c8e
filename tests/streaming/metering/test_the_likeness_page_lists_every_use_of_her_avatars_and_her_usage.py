"""iris's likeness page shows her avatar, both streams that used it (brand, platform, schedule, metered minutes,
the scripts of their playlists) with a link to each stream's page, the short video (brand, length, script), and her
usage per day against her 2 hours a day."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.streaming.metering.helpers import FROM, TO, usage_world

pytestmark = pytest.mark.django_db


def _cells(row_html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row_html, re.S)]


def _rows(html: str, testid: str) -> list[list[str]]:
    return [_cells(row) for row in re.findall(rf'<tr data-testid="{testid}">(.*?)</tr>', html, re.S)]


def test_the_likeness_page(client: Client, personas: dict[str, Any]) -> None:
    world = usage_world(personas)
    client.force_login(personas["iris"])
    response = client.get(reverse("likeness:mine"), {"from": FROM, "to": TO})
    html = response.content.decode()
    label = f"Welcome v{world.streams[0].version.number}"

    assert f'data-avatar="{world.avatar.public_id}"' in html
    assert "Avatar for Acme" in html
    streams = _rows(html, "likeness-stream")
    assert len(streams) == 2
    for stream in world.streams:
        assert f'href="{reverse("streams:detail", args=[stream.public_id])}"' in html
    for cells in streams:
        assert cells[1:3] == ["Acme", "Douyin"]
        assert cells[4] == "1.6"  # 3 x 30 s + 6 s
        assert cells[5] == label
    (video,) = _rows(html, "likeness-video")
    assert (video[0], video[1], video[3], video[4]) == ("Acme", "Douyin", "12.0", label)

    usage = [(u[0], u[1], u[3], u[4], u[5]) for u in _rows(html, "usage-row")]
    assert usage == [
        ("10 Mar 2026", "Acme", "3.00", "2", "0.05 h (3 %)"),
        ("11 Mar 2026", "Acme", "0.20", "2", "0.00 h (0 %)"),
    ]
    assert f'href="{reverse("likeness:usage-csv")}?from={FROM}&amp;to={TO}"' in html
