from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from audit.models import LedgerEvent
from consent.gate import authorize_use
from consent.models import ConsentGrant
from tests.consent.helpers import active_grant

pytestmark = pytest.mark.django_db


def test_it_activates_a_grant_signed_with_a_passkey_and_records_both_signatures(
    personas: dict[str, Any], template: Any, passkey: Any
) -> None:
    grant = active_grant(personas, template, passkey)

    assert grant.status == ConsentGrant.Status.ACTIVE
    assert grant.signature["method"] == "webauthn"
    assert grant.countersignature
    assert grant.countersignature_key_id
    event = LedgerEvent.objects.filter(subject=f"consent:{grant.public_id}", kind="consent.signed").get()
    assert event.payload_data["scope_sha256"] == grant.scope_sha256
    assert event.payload_data["template_sha256"] == template.content_sha256
    assert event.payload_data["platform_countersignature"]["key_id"] == grant.countersignature_key_id


def test_the_gate_returns_the_grant_for_a_use_inside_its_scope(
    personas: dict[str, Any], template: Any, passkey: Any
) -> None:
    grant = active_grant(personas, template, passkey)
    influencer = personas["iris"].influencer

    allowed = authorize_use(
        avatar=influencer,
        brand=personas["acme"],
        purpose="livestream_ecommerce",
        platform="douyin",
        modalities=["face_likeness"],
        at=timezone.now(),
    )

    assert allowed.pk == grant.pk
