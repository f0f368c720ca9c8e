"""sam (reviewers group) opens a consent waiting for review: both videos, the face and voice results, the liveness
result, the scope in words and the grant's history are on one page, with the decision form."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from tests.consent.review_helpers import grant_waiting_for_review


def test_the_review_page_shows_the_evidence_of_the_consent(
    client: Client, personas: dict[str, Any], template: Any, passkey: Any
) -> None:
    grant = grant_waiting_for_review(personas, template, passkey)
    client.force_login(personas["sam"])

    queue = client.get(reverse("consent:review-queue")).content.decode()
    page_url = reverse("consent:review-grant", args=[grant.public_id])
    assert page_url in queue
    assert "Iris Live" in queue

    page = client.get(page_url).content.decode()
    assert reverse("consent:review-media", args=[grant.public_id, "statement"]) in page
    assert reverse("consent:review-media", args=[grant.public_id, "sample"]) in page
    assert "Did not match" in page
    assert "0.710" in page
    assert "Passed: every asked action was seen in its window." in page
    assert "seen at 1.6 s" in page
    assert "Acme" in page
    assert "Livestream e-commerce" in page
    assert "Douyin" in page
    for kind in ("consent.drafted", "consent.statement_recorded", "consent.signed"):
        assert kind in page
    assert 'data-testid="review-decision"' in page


def test_a_decided_consent_shows_its_evidence_without_the_decision_form(
    client: Client, personas: dict[str, Any], template: Any, passkey: Any
) -> None:
    from consent.services import review_grant

    grant = grant_waiting_for_review(personas, template, passkey)
    review_grant(grant=grant, reviewer=personas["sam"], decision="approve", reason="Same person, new haircut.")
    client.force_login(personas["sam"])

    page = client.get(reverse("consent:review-grant", args=[grant.public_id])).content.decode()
    assert "consent.reviewed" in page
    assert "Approve: Same person, new haircut." in page
    assert 'data-testid="review-decision"' not in page
