"""The PIA gate: a brand's avatars and renders need its approved personal-information impact assessment first
(PIPL Arts. 55-56, rules.md CN-PIPL-PIA-3Y and §13's gate). Render calls it before it asks the consent gate."""

from __future__ import annotations

from django.conf import settings

from accounts.models import Organisation
from common.api import DomainError


def require_approved_assessment(organisation: Organisation) -> None:
    if not settings.COMPLIANCE_REQUIRE_PIA:
        return
    from compliance.models import ImpactAssessment

    if not ImpactAssessment.objects.filter(organisation=organisation, status=ImpactAssessment.Status.APPROVED).exists():
        raise DomainError(
            "This brand has no approved personal-information impact assessment yet; its owner fills one in on the "
            "Compliance page before any avatar is built or stream rendered.",
            code="pia_required",
            status_code=409,
        )
