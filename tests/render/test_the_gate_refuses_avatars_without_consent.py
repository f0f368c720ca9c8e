"""create_avatar asks the consent gate first: without a covering grant nothing is created, queued or logged as an
avatar; the brand hears 403 `no_consent_for_you` and the gate's detailed reason goes to the influencer's ledger."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from common.api import DomainError
from render.models import Avatar
from render.services import create_avatar
from tests.render.helpers import grant_for, store_sample


def _create(personas: dict[str, Any], **kwargs: Any) -> Avatar:
    options = {"purpose": "livestream_ecommerce", "platform": "douyin", "brand": personas["acme"], **kwargs}
    return create_avatar(influencer=personas["iris"].influencer, actor=personas["bob"], **options)


def _reason(personas: dict[str, Any], **kwargs: Any) -> str:
    """The detailed reason, as ledgered for the influencer; the brand itself only ever hears no_consent_for_you."""
    from audit.models import LedgerEvent

    with pytest.raises(DomainError) as info:
        _create(personas, **kwargs)
    assert info.value.status_code == 403
    assert info.value.code == "no_consent_for_you"
    event = LedgerEvent.objects.filter(kind="consent.use_refused").order_by("-pk").first()
    assert event is not None
    assert event.subject == f"influencer:{personas['iris'].influencer.public_id}"
    assert event.organisation_id is None
    return str(event.payload_data["reason"])


def test_it_refuses_an_influencer_who_never_consented(personas: dict[str, Any]) -> None:
    store_sample(personas["iris"].influencer)
    assert _reason(personas) == "no_consent"
    assert not Avatar.objects.exists()


def test_it_refuses_a_brand_the_consent_does_not_name(personas: dict[str, Any]) -> None:
    grant_for(personas)
    store_sample(personas["iris"].influencer)
    assert _reason(personas, brand=personas["globex"]) == "out_of_scope_brand"
    assert not Avatar.objects.exists()


def test_it_refuses_a_voice_avatar_without_voice_consent(personas: dict[str, Any]) -> None:
    grant_for(personas)
    store_sample(personas["iris"].influencer)
    assert _reason(personas, voice=True) == "modality_not_granted"
    assert not Avatar.objects.exists()


def test_it_refuses_a_platform_outside_the_consent(personas: dict[str, Any]) -> None:
    grant_for(personas)
    store_sample(personas["iris"].influencer)
    assert _reason(personas, platform="kuaishou") == "out_of_scope_platform"


def test_it_accepts_a_covered_use_and_records_the_grant(personas: dict[str, Any]) -> None:
    from audit.models import LedgerEvent

    grant = grant_for(personas)
    store_sample(personas["iris"].influencer)
    avatar = _create(personas)
    assert avatar.status == Avatar.Status.QUEUED
    assert avatar.grant == grant
    event = LedgerEvent.objects.get(subject=f"avatar:{avatar.public_id}", kind="avatar.requested")
    assert event.payload_data["consent_grant_id"] == str(grant.public_id)


def test_the_api_answers_403_with_one_neutral_code(personas: dict[str, Any]) -> None:
    store_sample(personas["iris"].influencer)
    client = APIClient()
    client.force_authenticate(personas["bob"])
    response = client.post(
        "/api/v1/avatars/",
        {
            "brand": str(personas["acme"].public_id),
            "influencer": str(personas["iris"].influencer.public_id),
            "purpose": "livestream_ecommerce",
            "platform": "douyin",
        },
        format="json",
    )
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "no_consent_for_you"
    assert response.json()["message"]
    assert not Avatar.objects.exists()
