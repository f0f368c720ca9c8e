from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from consent.gate import ConsentDenied, authorize_use
from tests.consent.helpers import active_grant, draft_grant, sign_with_passkey, skip_statement

pytestmark = pytest.mark.django_db


def _reason(personas: dict[str, Any], **overrides: Any) -> str:
    use = {
        "avatar": personas["iris"].influencer,
        "brand": personas["acme"],
        "purpose": "livestream_ecommerce",
        "platform": "douyin",
        "modalities": ["face_likeness"],
        "at": timezone.now(),
        **overrides,
    }
    with pytest.raises(ConsentDenied) as denied:
        authorize_use(**use)
    return denied.value.reason


def test_no_consent_at_all(personas: dict[str, Any]) -> None:
    assert _reason(personas) == "no_consent"


def test_each_part_of_the_scope_is_checked(personas: dict[str, Any], template: Any, passkey: Any) -> None:
    active_grant(personas, template, passkey, excluded_product_categories=("alcohol",))

    assert _reason(personas, purpose="short_video") == "out_of_scope_purpose"
    assert _reason(personas, platform="kuaishou") == "out_of_scope_platform"
    assert _reason(personas, modalities=["face_likeness", "voice"]) == "modality_not_granted"
    assert _reason(personas, modalities=[]) == "modality_not_granted"
    assert _reason(personas, brand=personas["globex"]) == "out_of_scope_brand"
    assert _reason(personas, product_category="alcohol") == "out_of_scope_product"
    assert _reason(personas, at=timezone.now() + timedelta(days=91)) == "expired"


def test_a_consent_that_starts_later_is_not_yet_valid(personas: dict[str, Any], template: Any, passkey: Any) -> None:
    start = timezone.now() + timedelta(days=2)
    active_grant(personas, template, passkey, valid_from=start, valid_until=start + timedelta(days=30))

    assert _reason(personas) == "not_yet_valid"
    assert authorize_use(
        avatar=personas["iris"].influencer,
        brand=personas["acme"],
        purpose="livestream_ecommerce",
        platform="douyin",
        modalities=["face_likeness"],
        at=start + timedelta(hours=1),
    )


def test_a_grant_under_review_is_not_usable(personas: dict[str, Any], template: Any, passkey: Any) -> None:
    grant = skip_statement(draft_grant(personas, template), face="fail")
    grant = sign_with_passkey(grant, passkey, personas["iris"])

    assert grant.status == "pending_review"
    assert _reason(personas) == "pending_review"


def test_an_avatar_like_object_with_an_influencer_id_is_accepted(
    personas: dict[str, Any], template: Any, passkey: Any
) -> None:
    from types import SimpleNamespace

    grant = active_grant(personas, template, passkey)
    avatar = SimpleNamespace(influencer_id=personas["iris"].influencer.pk)

    allowed = authorize_use(
        avatar=avatar,
        brand=personas["acme"].pk,
        purpose="livestream_ecommerce",
        platform="taobao",
        modalities={"face_likeness", "body_movement"},
        at=timezone.now(),
    )

    assert allowed.pk == grant.pk
