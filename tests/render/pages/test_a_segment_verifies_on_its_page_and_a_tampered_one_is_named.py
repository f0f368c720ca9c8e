"""A rendered job's page lists each segment's provenance (C2PA manifest and the one before it, watermark, ledger
entry) with a Verify button. Verify runs the stream verifier over the stored playlist with the platform's trust
anchor and recomputes the segment's ledger entry, and says what it found in sentences, in the reader's language;
after a byte of a stored segment is flipped it names that file as altered. The whole job downloads as one MP4
(init + segments) that decodes. Readers of the brand may verify; another brand meets 404."""

from __future__ import annotations

import io
from typing import Any

import av
import pytest
from django.test import Client

from render.models import Segment
from render.services import segment_storage, submit_render_job
from render.tasks import render_job_task
from tests.render.helpers import SHORT_LINES, ready_avatar
from tests.streaming.scripts_factory import approved_script

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _client(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_verify_download_and_tamper(personas: dict[str, Any]) -> None:
    avatar = ready_avatar(personas)
    job = submit_render_job(
        avatar=avatar,
        actor=personas["bob"],
        purpose="livestream_ecommerce",
        platform="douyin",
        script=approved_script(personas, SHORT_LINES),
        resolution="720p",
        fps=25,
    )
    result = render_job_task(job.pk)
    job.refresh_from_db()
    assert result["status"] == "done", (job.error_code, job.error_message)
    segments = list(Segment.objects.filter(job=job).order_by("sequence"))
    assert len(segments) >= 2
    second = segments[1]

    page = _client(personas["alice"]).get(f"/render/jobs/{job.public_id}/").content.decode()
    assert page.count('data-testid="verify-segment"') == len(segments)
    assert second.watermark_id in page
    assert f"#{second.ledger_event_id}" in page
    assert 'data-testid="job-download"' in page

    verified = _client(personas["victor"]).post(f"/render/jobs/{job.public_id}/segments/1/verify/").content.decode()
    assert 'data-ok="1"' in verified
    assert "The whole stream verifies" in verified
    assert f"Segment 1: its C2PA manifest {second.manifest_id} is signed by a trusted certificate" in verified
    assert "It follows segment 0 in the chain" in verified
    assert f"Ledger entry {second.ledger_event_id}" in verified
    assert "its hash recomputes" in verified
    chinese = _client(personas["alice"], "zh-CN").post(f"/render/jobs/{job.public_id}/segments/1/verify/")
    assert "整条流验证通过" in chinese.content.decode()

    download = _client(personas["alice"]).get(f"/api/v1/render-jobs/{job.public_id}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "video/mp4"
    data = b"".join(download.streaming_content)
    with av.open(io.BytesIO(data)) as container:
        frames = sum(1 for _ in container.decode(video=0))
    assert frames >= 25 * 2  # at least two 2 s segments of 25 fps

    assert _client(personas["charlie"]).post(f"/render/jobs/{job.public_id}/segments/1/verify/").status_code == 404
    assert _client(personas["charlie"]).get(f"/api/v1/render-jobs/{job.public_id}/download/").status_code == 404

    storage = segment_storage()
    with storage.open(second.storage_name, "rb") as handle:
        original = bytearray(handle.read())
    original[-100] ^= 0xFF  # a byte of media data
    path = storage.path(second.storage_name)
    with open(path, "wb") as handle:
        handle.write(bytes(original))
    tampered = _client(personas["alice"]).post(f"/render/jobs/{job.public_id}/segments/1/verify/").content.decode()
    assert 'data-ok="0"' in tampered
    assert f"{second.uri} was altered after signing" in tampered
    tampered_zh = _client(personas["alice"], "zh-CN").post(f"/render/jobs/{job.public_id}/segments/1/verify/")
    assert f"{second.uri} 在签名后被改动" in tampered_zh.content.decode()
