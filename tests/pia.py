"""The impact assessment every test influencer gets (PIPL Arts. 55-56): the consent gate refuses biometric use of an
influencer without an approved one, so the persona factories give each influencer one, written and approved by staff
through the real services, covering every purpose and modality. Tests about the assessment itself make their own."""

from __future__ import annotations

from typing import Any

ASSESSMENT = {
    "purpose_codes": ["livestream_ecommerce", "short_video"],
    "modalities": ["face_likeness", "voice", "body_movement"],
    "purposes": "AI livestream and short-video clone for brands she consents to.",
    "data_categories": "face video, voiceprint, likeness model",
    "necessity": "The clone cannot be built without them.",
    "impact": "Misuse of likeness and voice.",
    "measures": "Separate consent and withdrawal, vault encryption, labels, watermark, C2PA, ledger.",
}


def assess(influencer: Any, staff: Any, **changes: Any) -> Any:
    """A draft saved and approved by `staff` (values: ASSESSMENT with `changes`)."""
    from compliance.assessments import approve_influencer_assessment, save_influencer_assessment

    draft = save_influencer_assessment(influencer=influencer, actor=staff, values={**ASSESSMENT, **changes})
    return approve_influencer_assessment(assessment=draft, actor=staff)
