"""The gate asks for the influencer's approved impact assessment before every segment too, not only when a job is
submitted: with the record gone (a faulty purge, a database restore), the next segment is refused, nothing is
published, and the job stops with the brand's neutral code; the detailed reason `pia_required` is ledgered for her."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.slow
def test_a_segment_is_refused_for_an_influencer_without_an_impact_assessment(personas: dict[str, Any]) -> None:
    from django.db import transaction

    from audit.models import LedgerEvent
    from compliance.models import ImpactAssessment
    from consent import broadcast
    from render.models import RenderJob, Segment
    from render.services import run_render_job, submit_render_job
    from tests.render.helpers import LINES, ready_avatar
    from tests.streaming.scripts_factory import approved_script

    avatar = ready_avatar(personas)
    job = submit_render_job(
        avatar=avatar,
        actor=personas["bob"],
        purpose="livestream_ecommerce",
        platform="douyin",
        script=approved_script(personas, LINES),
    )
    iris = personas["iris"].influencer
    with transaction.atomic():
        ImpactAssessment.objects.filter(influencer=iris).delete()
        broadcast.bump_version(iris.pk)  # as any change the gate must see at once

    job = run_render_job(job_id=job.pk, max_segments=1)

    assert job.status == RenderJob.Status.CANCELLED
    assert job.error_code == "no_consent_for_you"
    assert not Segment.objects.filter(job=job).exists()
    assert not LedgerEvent.objects.filter(subject=job.subject, kind="segment.published").exists()
    refused = LedgerEvent.objects.filter(kind="consent.use_refused", subject=f"influencer:{iris.public_id}").last()
    assert refused is not None
    assert refused.payload_data["reason"] == "pia_required"
