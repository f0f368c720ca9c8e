"""A reviewer's dashboard says how many consents and brands wait for them, linking to the staff pages; staff who
may do neither are not shown the card."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from accounts.brands import submit_legal_entity
from accounts.services import create_organisation, create_user


def test_the_reviewer_sees_the_waiting_work_and_other_staff_do_not(client: Client, personas: dict[str, Any]) -> None:
    initech = create_organisation(name="Initech", slug="initech", owner=personas["charlie"])
    submit_legal_entity(
        organisation=initech, actor=personas["charlie"], legal_name="Initech Co., Ltd.", uscc="91110000802100433B"
    )
    client.force_login(personas["sam"])
    page = client.get(reverse("portal:dashboard")).content.decode()
    card = page.split('data-testid="staff-work"', 1)[1].split("</article>", 1)[0]
    assert reverse("accounts-pages:brand-reviews") in card
    assert reverse("consent:review-queue") in card
    assert "Brands to verify</a></dt><dd>1</dd>" in card
    assert "Consents to review</a></dt><dd>0</dd>" in card

    client.force_login(create_user(email="pat@veracast.example", password="pat-password-1", is_staff=True))
    assert 'data-testid="staff-work"' not in client.get(reverse("portal:dashboard")).content.decode()
