"""The job page and the avatar list read a fixed number of queries however many segments and jobs there are (no
query per row)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from render.models import Avatar, RenderJob, Segment

pytestmark = [pytest.mark.django_db]


def _world(personas: dict[str, Any], jobs: int, segments: int) -> RenderJob:
    avatar = Avatar.objects.create(
        influencer=personas["iris"].influencer,
        brand=personas["acme"],
        purpose="livestream_ecommerce",
        platform="douyin",
        status=Avatar.Status.READY,
    )
    job = None
    for _ in range(jobs):
        job = RenderJob(avatar=avatar, brand=personas["acme"], purpose="livestream_ecommerce", platform="douyin")
        job.stream_id = str(job.public_id)
        job.status = RenderJob.Status.DONE
        job.segment_count = segments
        job.playlist_storage_name = f"{job.stream_id}/index.m3u8"
        job.save()
        for n in range(segments):
            Segment.objects.create(
                job=job,
                sequence=n,
                storage_name=f"{job.stream_id}/seg_{n:06d}.m4s",
                uri=f"seg_{n:06d}.m4s",
                sha256="0" * 64,
                duration=2.0,
                manifest_id=f"urn:c2pa:{job.stream_id}:{n}",
                watermark_id=f"{n:020d}",
                ledger_event_id=n + 1,
            )
    assert job is not None
    return job


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_more_rows_do_not_mean_more_queries(personas: dict[str, Any]) -> None:
    client = Client()
    client.force_login(personas["alice"])
    small = _world(personas, jobs=1, segments=2)
    few = (_queries(client, f"/render/jobs/{small.public_id}/"), _queries(client, "/render/"))
    large = _world(personas, jobs=6, segments=12)
    many = (_queries(client, f"/render/jobs/{large.public_id}/"), _queries(client, "/render/"))
    assert many == few
