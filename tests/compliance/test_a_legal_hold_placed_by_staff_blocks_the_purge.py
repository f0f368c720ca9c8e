from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import reverse

from tests.compliance.streams import stream


def test_a_legal_hold_placed_by_staff_blocks_the_purge(client: Client, personas: dict[str, Any]) -> None:
    from audit.models import LedgerEvent
    from compliance.models import LegalHold
    from compliance.retention import purge_expired_recordings

    job = stream(personas)
    later = job.finished_at + timedelta(days=4 * 366)
    client.force_login(personas["sam"])

    no_reason = client.post(reverse("compliance:holds"), {"organisation": "acme", "reason": " "})
    assert no_reason.status_code == 400
    assert "A legal hold needs a written reason." in no_reason.content.decode()

    placed = client.post(
        reverse("compliance:holds"),
        {"organisation": "acme", "stream_id": job.stream_id, "reason": "Court order 2026-17"},
    )
    assert placed.status_code == 302
    hold = LegalHold.objects.get()

    held = purge_expired_recordings(now=later)
    assert held.purged == []
    assert held.held == [job.stream_id]

    assert client.post(reverse("compliance:release-hold", args=[hold.public_id])).status_code == 302
    assert purge_expired_recordings(now=later).purged == [job.stream_id]
    kinds = list(LedgerEvent.objects.filter(kind__startswith="compliance.").values_list("kind", flat=True))
    assert kinds[-3:] == [
        "compliance.legal_hold_placed",
        "compliance.legal_hold_released",
        "compliance.recording_purged",
    ]


def test_only_staff_place_legal_holds(client: Client, personas: dict[str, Any]) -> None:
    from compliance.models import LegalHold

    client.force_login(personas["alice"])

    response = client.post(reverse("compliance:holds"), {"organisation": "acme", "reason": "mine"})

    assert response.status_code == 403
    assert "Legal holds are placed by platform staff." in response.content.decode()
    assert not LegalHold.objects.exists()
