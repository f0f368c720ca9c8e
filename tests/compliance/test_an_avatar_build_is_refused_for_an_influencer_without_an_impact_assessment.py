"""PIPL Arts. 55-56: no avatar of an influencer is built before platform staff approved her impact assessment. The
consent gate refuses with `pia_required` (ledgered for her and staff as `consent.use_refused`); the brand hears only
`no_consent_for_you`, as for every refusal. Once staff approve one, the same request succeeds."""

from __future__ import annotations

from typing import Any

import pytest


def test_an_avatar_build_is_refused_for_an_influencer_without_an_impact_assessment(personas: dict[str, Any]) -> None:
    from audit.models import LedgerEvent
    from common.api import DomainError
    from compliance.models import ImpactAssessment
    from render.models import Avatar
    from render.services import create_avatar
    from tests.pia import assess
    from tests.render.helpers import grant_for, store_sample

    iris = personas["iris"].influencer
    ImpactAssessment.objects.filter(influencer=iris).delete()  # the personas' assessment, taken away
    grant_for(personas)
    store_sample(iris)

    def request() -> Any:
        return create_avatar(
            influencer=iris,
            brand=personas["acme"],
            actor=personas["bob"],
            purpose="livestream_ecommerce",
            platform="douyin",
        )

    with pytest.raises(DomainError) as refused:
        request()

    assert refused.value.code == "no_consent_for_you"
    assert "impact assessment" not in str(refused.value.detail)
    assert not Avatar.objects.exists()
    ledgered = LedgerEvent.objects.filter(kind="consent.use_refused", subject=f"influencer:{iris.public_id}").last()
    assert ledgered is not None
    assert ledgered.payload_data["reason"] == "pia_required"
    assert ledgered.payload_data["use"] == "avatar_request"

    assess(iris, personas["sam"])
    avatar = request()

    assert avatar.brand == personas["acme"]
