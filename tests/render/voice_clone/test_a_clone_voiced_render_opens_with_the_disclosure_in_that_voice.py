"""A render job in the influencer's own voice publishes its segments with every utterance, the spoken AI disclosure
included, made by the clone server in the verified voice (the disclosure is not another voice that precedes it)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.db import transaction

from consent import vault
from consent.models import VaultObject
from render.engine.speech.disclosure import DISCLOSURE_TEXT
from render.models import Avatar, RenderJob, Segment
from render.services import run_render_job, submit_render_job
from tests.render.voice_clone.helpers import LINE, WITH_VOICE, kinds, reference_wav
from tests.streaming.scripts_factory import approved_script

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_disclosure_and_the_lines_are_spoken_by_the_clone_server(
    personas: dict[str, Any], clone_server: Any
) -> None:
    from tests.render.helpers import ready_avatar

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
        script=approved_script(personas, [{"id": "l1", "text": LINE, "language": "en", "intent": "greet"}]),
        tts_backend="clone",
        label_languages="zh+en",
    )
    run_render_job(job_id=job.pk)  # the render queue runs eagerly in tests: the job has run already

    job.refresh_from_db()
    assert job.status == RenderJob.Status.DONE, job.error_message
    assert job.segment_count > 2
    assert Segment.objects.filter(job=job).count() == job.segment_count
    said = [json.loads(r.body)["input"] for r in clone_server.state.requests if r.path == "/v1/audio/speech"]
    assert DISCLOSURE_TEXT["en"] in said
    assert DISCLOSURE_TEXT["zh"] in said
    assert LINE in said
    assert kinds(avatar).count("voice_clone.verified") == 1
    assert "voice_clone.verification_failed" not in kinds(avatar)
