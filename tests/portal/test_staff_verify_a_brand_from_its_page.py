"""Brand verification in pages: the queue links to each brand's page (legal entity, owners, history), where staff
in the reviewers group verify it or reject it with a reason; refusals are sentences; other staff are refused."""

from __future__ import annotations

from typing import Any

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.brands import submit_legal_entity
from accounts.services import create_organisation, create_user

INITECH_USCC = "91110000802100433B"


def _initech(personas: dict[str, Any]) -> Any:
    initech = create_organisation(name="Initech", slug="initech", owner=personas["charlie"])
    return submit_legal_entity(
        organisation=initech, actor=personas["charlie"], legal_name="Initech Co., Ltd.", uscc=INITECH_USCC
    )


def test_a_reviewer_rejects_with_a_reason_from_the_brand_page(client: Client, personas: dict[str, Any]) -> None:
    initech = _initech(personas)
    client.force_login(personas["sam"])
    page_url = reverse("accounts-pages:brand-review", args=[initech.public_id])
    assert page_url in client.get(reverse("accounts-pages:brand-reviews")).content.decode()

    page = client.get(page_url).content.decode()
    assert "Initech Co., Ltd." in page
    assert INITECH_USCC in page
    assert "charlie@globex.example" in page
    assert "organisation.legal_entity_submitted" in page

    decide = reverse("accounts-pages:review-brand", args=[initech.public_id])
    refused = client.post(decide, {"decision": "reject", "reason": ""}, follow=True)
    assert [str(m) for m in get_messages(refused.wsgi_request)] == ["Write the reason for the rejection."]
    assert refused.redirect_chain[-1][0] == page_url

    client.post(decide, {"decision": "reject", "reason": "The register lists another legal name."})
    initech.refresh_from_db()
    assert initech.verification_status == "rejected"
    assert initech.rejection_reason == "The register lists another legal name."
    assert "organisation.verification_rejected" in client.get(page_url).content.decode()


def test_staff_outside_the_reviewers_group_are_refused(client: Client, personas: dict[str, Any]) -> None:
    initech = _initech(personas)
    client.force_login(create_user(email="pat@veracast.example", password="pat-password-1", is_staff=True))
    for url in (
        reverse("accounts-pages:brand-reviews"),
        reverse("accounts-pages:brand-review", args=[initech.public_id]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "Only platform staff in the reviewers group may verify brands." in response.content.decode()
    assert (
        client.post(
            reverse("accounts-pages:review-brand", args=[initech.public_id]), {"decision": "verify"}
        ).status_code
        == 403
    )
    initech.refresh_from_db()
    assert initech.verification_status == "pending"
