"""The consent gate's PIA check (rules.md §13: "... AND PIA approved"): a consent that allows the use is not enough;
the influencer's approved assessment must cover the purpose and every modality asked for. A draft opens nothing. A
consent refusal is reported before the assessment (the most specific reason). Approving an assessment is seen at
the next check, even with the decision cached."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone


def _use(personas: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {
        "avatar": personas["iris"].influencer,
        "brand": personas["acme"],
        "purpose": "livestream_ecommerce",
        "platform": "douyin",
        "modalities": ["face_likeness"],
        **changes,
    }


def test_the_gate_allows_only_what_the_approved_assessment_covers(personas: dict[str, Any]) -> None:
    from compliance.assessments import save_influencer_assessment
    from compliance.models import ImpactAssessment
    from consent.gate import ConsentDenied, Reason, authorize_use
    from tests.pia import ASSESSMENT, assess
    from tests.render.helpers import grant_for

    iris = personas["iris"].influencer
    grant = grant_for(personas)
    assert authorize_use(**_use(personas), at=timezone.now()) == grant  # the personas' assessment covers it

    ImpactAssessment.objects.filter(influencer=iris).delete()
    save_influencer_assessment(influencer=iris, actor=personas["sam"], values=ASSESSMENT)  # a draft only
    from django.db import transaction

    from consent import broadcast

    with transaction.atomic():
        broadcast.bump_version(iris.pk)
    with pytest.raises(ConsentDenied) as refused:
        authorize_use(**_use(personas), at=timezone.now())
    assert refused.value.reason == Reason.PIA_REQUIRED
    assert refused.value.brand_code == "no_consent_for_you"

    assess(iris, personas["sam"], purpose_codes=["short_video"])  # another purpose
    with pytest.raises(ConsentDenied) as other_purpose:
        authorize_use(**_use(personas), at=timezone.now())
    assert other_purpose.value.reason == Reason.PIA_REQUIRED

    assess(iris, personas["sam"], modalities=["body_movement"])  # the right purpose, not the face
    with pytest.raises(ConsentDenied) as other_modality:
        authorize_use(**_use(personas), at=timezone.now())
    assert other_modality.value.reason == Reason.PIA_REQUIRED

    assess(iris, personas["sam"])  # covers both purposes and every modality
    assert authorize_use(**_use(personas), at=timezone.now()) == grant

    # A consent refusal comes first: Kuaishou is outside the consent, whatever the assessment says.
    with pytest.raises(ConsentDenied) as out_of_scope:
        authorize_use(**_use(personas, platform="kuaishou"), at=timezone.now())
    assert out_of_scope.value.reason == Reason.OUT_OF_SCOPE_PLATFORM
