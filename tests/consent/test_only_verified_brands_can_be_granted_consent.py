"""Consent goes only to brands whose legal entity staff have verified: the wizard and the API list those alone,
with the legal name and USCC beside the display name, and creating a grant for any other brand is refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from accounts.brands import submit_legal_entity
from accounts.services import create_organisation
from common.api import DomainError
from consent.models import ConsentGrant
from tests.conftest import ACME_USCC
from tests.consent.helpers import draft_grant


@pytest.fixture
def initech(personas: dict[str, Any]) -> Any:
    """A brand whose owner submitted a well-formed legal entity that nobody has verified yet."""
    initech = create_organisation(name="Initech", slug="initech", owner=personas["charlie"])
    return submit_legal_entity(
        organisation=initech, actor=personas["charlie"], legal_name="Initech Co., Ltd.", uscc="91110000802100433B"
    )


def test_creating_a_grant_for_an_unverified_brand_is_refused(
    personas: dict[str, Any], template: Any, initech: Any
) -> None:
    with pytest.raises(DomainError) as refused:
        draft_grant(personas, template, brands=[personas["acme"], initech])
    assert refused.value.detail.code == "brand_not_verified"
    assert "Initech is not a verified brand" in str(refused.value.detail)
    assert not ConsentGrant.objects.exists()


def test_the_api_refuses_an_unverified_brand_with_a_reason(
    personas: dict[str, Any], template: Any, initech: Any, client: Client
) -> None:
    client.force_login(personas["iris"])
    response = client.post(
        "/api/v1/consent/grants/",
        json.dumps(
            {
                "template": str(template.public_id),
                "brands": [str(initech.public_id)],
                "modalities": ["face_likeness"],
                "purposes": ["livestream_ecommerce"],
                "platforms": ["douyin"],
                "valid_from": "2030-01-01T00:00:00Z",
                "valid_until": "2030-06-30T00:00:00Z",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "brand_not_verified"
    assert "verified" in response.json()["message"]


def test_the_brand_list_for_a_grant_has_only_verified_brands_with_their_legal_entity(
    personas: dict[str, Any], initech: Any, client: Client
) -> None:
    client.force_login(personas["iris"])
    brands = client.get("/api/v1/consent/brands/").json()
    assert [(b["name"], b["uscc"]) for b in brands] == [("Acme", ACME_USCC), ("Globex", personas["globex"].uscc)]
    assert brands[0]["legal_name"] == "Acme Trading (Shanghai) Co., Ltd."
    assert {b["verification_status"] for b in brands} == {"verified"}


def test_the_wizard_shows_verified_brands_with_legal_name_and_uscc(
    personas: dict[str, Any], template: Any, initech: Any, client: Client
) -> None:
    client.force_login(personas["iris"])
    html = client.get("/consent/new/").content.decode()
    assert "Acme Trading (Shanghai) Co., Ltd." in html
    assert ACME_USCC in html
    assert "Initech" not in html
    assert str(initech.public_id) not in html


def test_the_signed_scope_names_each_brands_legal_entity(personas: dict[str, Any], template: Any) -> None:
    grant = draft_grant(personas, template)
    assert grant.scope["brands"] == [
        {
            "id": str(personas["acme"].public_id),
            "name": "Acme",
            "legal_name": "Acme Trading (Shanghai) Co., Ltd.",
            "uscc": ACME_USCC,
        }
    ]
