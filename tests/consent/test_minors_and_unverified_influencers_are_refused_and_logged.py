from __future__ import annotations

from typing import Any

import pytest

from accounts.services import create_influencer_profile, create_user
from audit.models import LedgerEvent
from common.api import DomainError
from consent.models import ConsentGrant
from tests.consent.helpers import draft_grant

pytestmark = pytest.mark.django_db


def test_a_minor_cannot_grant_consent_and_the_refusal_is_in_the_ledger(
    personas: dict[str, Any], template: Any, minor: Any
) -> None:
    with pytest.raises(DomainError) as refused:
        draft_grant(personas, template, user=minor)

    assert refused.value.code == "influencer_minor"
    assert refused.value.status_code == 403
    assert not ConsentGrant.objects.filter(influencer__user=minor).exists()
    event = LedgerEvent.objects.filter(kind="consent.refused", subject=f"influencer:{minor.influencer.public_id}").get()
    assert event.payload_data == {"action": "create_grant", "reason": "influencer_minor"}
    # No date of birth, age or name reaches the ledger.
    assert "Mia" not in event.payload
    assert "birth" not in event.payload


def test_an_influencer_without_real_name_verification_is_refused(personas: dict[str, Any], template: Any) -> None:
    uma = create_user(email="uma@creators.example", password="uma-password-1")
    create_influencer_profile(user=uma, stage_name="Uma")

    with pytest.raises(DomainError) as refused:
        draft_grant(personas, template, user=uma)

    assert refused.value.code == "influencer_not_verified"
    assert LedgerEvent.objects.filter(kind="consent.refused", payload__contains="influencer_not_verified").exists()


def test_a_minor_cannot_register_a_passkey_either(personas: dict[str, Any], minor: Any) -> None:
    from consent.services import begin_passkey_registration
    from tests.consent.helpers import RP

    with pytest.raises(DomainError) as refused:
        begin_passkey_registration(user=minor, rp=RP)

    assert refused.value.code == "influencer_minor"


def test_the_api_answers_a_minor_with_a_clear_reason(
    personas: dict[str, Any], template: Any, minor: Any, client: Any
) -> None:
    client.force_login(minor)
    response = client.post(
        "/api/v1/consent/grants/",
        {
            "template": str(template.public_id),
            "brands": [str(personas["acme"].public_id)],
            "modalities": ["face_likeness"],
            "purposes": ["short_video"],
            "platforms": ["douyin"],
            "valid_from": "2030-01-01T00:00:00Z",
            "valid_until": "2030-06-01T00:00:00Z",
        },
        content_type="application/json",
    )

    assert response.status_code == 403
    assert response.json()["code"] == "influencer_minor"
