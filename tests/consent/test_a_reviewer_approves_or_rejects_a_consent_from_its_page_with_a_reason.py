"""Deciding from the review page: a decision without a reason is refused with a sentence and changes nothing; a
rejection or an approval with a reason moves the grant and is ledgered with the reason."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from audit.models import LedgerEvent
from tests.consent.review_helpers import grant_waiting_for_review


def test_a_decision_needs_a_reason(client: Client, personas: dict[str, Any], template: Any, passkey: Any) -> None:
    grant = grant_waiting_for_review(personas, template, passkey)
    client.force_login(personas["sam"])

    response = client.post(
        reverse("consent:review-decide", args=[grant.public_id]), {"decision": "approve", "reason": "  "}, follow=True
    )
    assert "Write the reason for your decision" in response.content.decode()
    grant.refresh_from_db()
    assert grant.status == "pending_review"


def test_reject_then_the_queue_is_empty(client: Client, personas: dict[str, Any], template: Any, passkey: Any) -> None:
    grant = grant_waiting_for_review(personas, template, passkey)
    client.force_login(personas["sam"])

    response = client.post(
        reverse("consent:review-decide", args=[grant.public_id]),
        {"decision": "reject", "reason": "A different person reads the statement."},
        follow=True,
    )
    page = response.content.decode()
    assert "The consent of Iris Live is rejected; she sees your reason." in page
    assert "Nothing is waiting for review." in page
    grant.refresh_from_db()
    assert grant.status == "rejected"
    event = LedgerEvent.objects.get(subject=f"consent:{grant.public_id}", kind="consent.reviewed")
    assert event.payload_data["reason"] == "A different person reads the statement."

    again = client.post(
        reverse("consent:review-decide", args=[grant.public_id]), {"decision": "approve", "reason": "x"}, follow=True
    )
    assert "This consent is no longer waiting for review" in again.content.decode()


def test_approve(client: Client, personas: dict[str, Any], template: Any, passkey: Any) -> None:
    grant = grant_waiting_for_review(personas, template, passkey)
    client.force_login(personas["sam"])
    client.post(
        reverse("consent:review-decide", args=[grant.public_id]),
        {"decision": "approve", "reason": "Same person; the light was poor."},
    )
    grant.refresh_from_db()
    assert grant.status == "active"
