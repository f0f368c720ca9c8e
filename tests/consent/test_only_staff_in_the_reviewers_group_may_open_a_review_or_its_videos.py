"""The review page and its videos are for staff in the reviewers group: staff outside it, brand owners and the
influencer herself are refused with a sentence, and nothing is ledgered for them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.services import create_user
from audit.models import LedgerEvent
from tests.consent.review_helpers import grant_waiting_for_review


@pytest.mark.parametrize("who", ["plain staff", "alice", "iris"])
def test_others_are_refused_the_review_and_its_videos(
    client: Client, personas: dict[str, Any], template: Any, passkey: Any, who: str
) -> None:
    grant = grant_waiting_for_review(personas, template, passkey)
    user = (
        create_user(email="pat@veracast.example", password="pat-password-1", is_staff=True)
        if who == "plain staff"
        else personas[who]
    )
    client.force_login(user)

    for url in (
        reverse("consent:review-queue"),
        reverse("consent:review-grant", args=[grant.public_id]),
        reverse("consent:review-media", args=[grant.public_id, "statement"]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Only platform staff in the reviewers group may review consents" in response.content.decode()
    refused = client.post(
        reverse("consent:review-decide", args=[grant.public_id]), {"decision": "approve", "reason": "looks fine"}
    )
    assert refused.status_code == 403
    grant.refresh_from_db()
    assert grant.status == "pending_review"
    assert not LedgerEvent.objects.filter(kind="consent.media_viewed").exists()


def test_a_reviewer_gets_in(client: Client, personas: dict[str, Any], template: Any, passkey: Any) -> None:
    grant = grant_waiting_for_review(personas, template, passkey)
    client.force_login(personas["sam"])
    assert client.get(reverse("consent:review-grant", args=[grant.public_id])).status_code == 200


def test_the_api_refuses_staff_outside_the_reviewers_group_too(
    client: Client, personas: dict[str, Any], template: Any, passkey: Any
) -> None:
    grant = grant_waiting_for_review(personas, template, passkey)
    client.force_login(create_user(email="pat@veracast.example", password="pat-password-1", is_staff=True))

    queue = client.get("/api/v1/consent/review-queue/")
    assert queue.status_code == 403
    assert queue.json()["code"] == "permission_denied"
    assert client.get("/api/v1/brand-reviews/").status_code == 403
    decided = client.post(
        f"/api/v1/consent/grants/{grant.public_id}/review/",
        {"decision": "approve", "reason": "fine"},
        content_type="application/json",
    )
    assert decided.status_code == 403
    grant.refresh_from_db()
    assert grant.status == "pending_review"
