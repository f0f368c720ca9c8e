from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from consent.gate import ConsentDenied, authorize_use
from tests.consent.helpers import active_grant

pytestmark = pytest.mark.django_db


def test_the_gate_refuses_globex_a_consent_granted_to_acme(
    personas: dict[str, Any], template: Any, passkey: Any
) -> None:
    active_grant(personas, template, passkey)

    with pytest.raises(ConsentDenied) as denied:
        authorize_use(
            avatar=personas["iris"].influencer,
            brand=personas["globex"],
            purpose="livestream_ecommerce",
            platform="douyin",
            modalities=["face_likeness"],
            at=timezone.now(),
        )

    assert denied.value.reason == "out_of_scope_brand"


def test_globex_sees_neither_the_grant_nor_acmes_list(
    personas: dict[str, Any], template: Any, passkey: Any, client: Any
) -> None:
    grant = active_grant(personas, template, passkey)
    client.force_login(personas["charlie"])

    own = client.get(f"/api/v1/organisations/{personas['globex'].public_id}/consent-grants/")
    acmes = client.get(f"/api/v1/organisations/{personas['acme'].public_id}/consent-grants/")
    detail = client.get(f"/api/v1/consent/grants/{grant.public_id}/")
    receipt = client.get(f"/api/v1/consent/grants/{grant.public_id}/receipt/")

    assert own.status_code == 200
    assert own.json() == []
    assert acmes.status_code == 404
    assert detail.status_code == 404
    assert receipt.status_code == 404


def test_acme_sees_what_it_needs_and_nothing_more(
    personas: dict[str, Any], template: Any, passkey: Any, client: Any
) -> None:
    grant = active_grant(personas, template, passkey)
    client.force_login(personas["victor"])

    listed = client.get(f"/api/v1/organisations/{personas['acme'].public_id}/consent-grants/").json()

    assert [g["id"] for g in listed] == [str(grant.public_id)]
    assert listed[0]["status"] == "active"
    assert listed[0]["platforms"] == ["douyin", "taobao"]
    assert "face_score" not in listed[0]
    assert "signature" not in listed[0]
    assert "scope_canonical" not in listed[0]
