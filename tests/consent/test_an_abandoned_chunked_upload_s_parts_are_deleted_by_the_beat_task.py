"""An influencer who starts a chunked sample upload and never comes back does not leave her sealed parts on disk
forever: the beat task ends the upload once its 24 hours are up and deletes the parts. Another person's open upload,
still within its time, is untouched."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from consent import sample_uploads
from consent.models import SampleUpload, SampleUploadPart
from consent.tasks import expire_sample_uploads_task
from tests.consent.helpers import verified_influencer

pytestmark = pytest.mark.django_db


def test_iris_abandoned_upload_lapses_and_its_parts_go_while_nina_s_open_one_stays(
    personas: dict[str, Any], consent_environment: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    iris = personas["iris"]
    nina = verified_influencer("nina", born=date(1992, 2, 2), verified_by=personas["sam"])
    abandoned = sample_uploads.create_sample_upload(user=iris, total_size=100, content_type="video/mp4")
    with django_capture_on_commit_callbacks(execute=True):
        sample_uploads.append_sample_chunk(upload=abandoned, user=iris, offset=0, data=b"a" * 60, declared=60)
    fresh = sample_uploads.create_sample_upload(user=nina, total_size=100, content_type="video/mp4")
    with django_capture_on_commit_callbacks(execute=True):
        sample_uploads.append_sample_chunk(upload=fresh, user=nina, offset=0, data=b"b" * 60, declared=60)
    vault_dir = consent_environment["media"] / "vault"
    assert len(list(vault_dir.rglob("*.part.vcv"))) == 2
    SampleUpload.objects.filter(pk=abandoned.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert expire_sample_uploads_task() == 1

    abandoned.refresh_from_db()
    fresh.refresh_from_db()
    assert (abandoned.status, fresh.status) == (SampleUpload.Status.EXPIRED, SampleUpload.Status.OPEN)
    assert list(SampleUploadPart.objects.values_list("upload_id", flat=True)) == [fresh.pk]
    assert len(list(vault_dir.rglob("*.part.vcv"))) == 1
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule.get("consent.tasks.expire_sample_uploads_task") == 600
