"""A render job that chose the influencer's own voice, when the clone server answers in another voice, fails with
clone_voice_mismatch before its first segment: nothing is published, the refusal is ledgered."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import transaction

from audit.models import LedgerEvent
from consent import vault
from consent.models import VaultObject
from render.models import Avatar, RenderJob, Segment
from render.services import submit_render_job
from render.tasks import render_job_task
from tests.render.helpers import SHORT_LINES, ready_avatar
from tests.render.voice_clone.helpers import WITH_VOICE, kinds, reference_wav
from tests.streaming.scripts_factory import approved_script

pytestmark = pytest.mark.django_db(transaction=True)


def test_another_voice_never_airs(personas: dict[str, Any], clone_server: Any) -> None:
    clone_server.state.speaker = "en-us+f3"
    avatar = ready_avatar(personas, modalities=WITH_VOICE)
    with vault.discard_on_failure(), transaction.atomic():
        sample = vault.store_object(
            influencer=avatar.influencer,
            kind=VaultObject.Kind.SAMPLE,
            source=io.BytesIO(reference_wav()),
            content_type="audio/wav",
            media_info={"synthetic": True},
        )
    Avatar.objects.filter(pk=avatar.pk).update(voice=True, sample=sample)
    avatar.refresh_from_db()
    job = submit_render_job(
        avatar=avatar,
        actor=personas["bob"],
        purpose="livestream_ecommerce",
        platform="douyin",
        script=approved_script(personas, SHORT_LINES),
        tts_backend="clone",
    )
    render_job_task.apply(args=[job.pk])  # the render queue runs eagerly in tests: this re-run leaves it as it is

    job.refresh_from_db()
    assert job.status == RenderJob.Status.FAILED
    assert job.error_code == "clone_voice_mismatch"
    assert not Segment.objects.filter(job=job).exists()
    assert not LedgerEvent.objects.filter(subject=job.subject, kind="segment.published").exists()
    assert "voice_clone.verification_failed" in kinds(avatar)
    assert [r.path for r in clone_server.state.requests].count("/v1/audio/speech") == 1
