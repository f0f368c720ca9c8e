"""CN-PIPL-PIA-3Y is checked per stream: the stream's influencer needs an approved assessment covering the stream's
purpose and the avatar's modalities, approved before the stream began. With it the rule passes citing `pia:<id>`;
without it, or with one that does not cover the voice a voice avatar uses, it fails."""

from __future__ import annotations

from typing import Any

from tests.compliance.streams import results, stream


def test_a_stream_of_an_influencer_with_an_approved_assessment_passes_the_pia_rule(personas: dict[str, Any]) -> None:
    from compliance.models import ImpactAssessment

    job = stream(personas)

    outcome = results(job)["CN-PIPL-PIA-3Y"]

    assessment = ImpactAssessment.objects.get(influencer=personas["iris"].influencer)
    assert outcome.result == "pass"
    assert outcome.evidence == (f"pia:{assessment.public_id}",)


def test_a_stream_of_an_influencer_without_an_approved_assessment_fails_the_pia_rule(
    personas: dict[str, Any],
) -> None:
    job = stream(personas, with_assessment=False)

    outcome = results(job)["CN-PIPL-PIA-3Y"]

    assert outcome.result == "fail"
    assert outcome.detail.startswith("No impact assessment of the influencer covering livestream_ecommerce")


def test_an_assessment_without_the_voice_fails_a_voice_avatars_stream(personas: dict[str, Any]) -> None:
    from compliance.models import ImpactAssessment
    from tests.pia import assess

    iris = personas["iris"].influencer
    ImpactAssessment.objects.filter(influencer=iris).delete()
    assess(iris, personas["sam"], modalities=["face_likeness", "body_movement"])
    job = stream(personas, voice=True, grant_kwargs={"modalities": ("face_likeness", "voice", "body_movement")})

    outcome = results(job)["CN-PIPL-PIA-3Y"]

    assert outcome.result == "fail"
    assert "voice" in outcome.detail
