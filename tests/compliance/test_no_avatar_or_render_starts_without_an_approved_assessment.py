from __future__ import annotations

from typing import Any

import pytest

from tests.compliance.streams import approve_assessment


def test_no_avatar_or_render_starts_without_an_approved_assessment(personas: dict[str, Any], settings: Any) -> None:
    from common.api import DomainError
    from render.models import Avatar
    from render.services import create_avatar
    from tests.render.helpers import grant_for, store_sample

    settings.COMPLIANCE_REQUIRE_PIA = True
    grant_for(personas)
    store_sample(personas["iris"].influencer)

    def request() -> Any:
        return create_avatar(
            influencer=personas["iris"].influencer,
            brand=personas["acme"],
            actor=personas["bob"],
            purpose="livestream_ecommerce",
            platform="douyin",
        )

    with pytest.raises(DomainError) as refused:
        request()
    assert refused.value.code == "pia_required"
    assert not Avatar.objects.exists()

    approve_assessment(personas)
    avatar = request()

    assert avatar.brand == personas["acme"]
