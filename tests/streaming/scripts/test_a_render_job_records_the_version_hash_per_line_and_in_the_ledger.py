"""A render job of an approved version stores the version hash on every line it will speak and on the job, and its
render_job.submitted event names the script, version and approval."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from audit.models import LedgerEvent
from render.models import RenderJob
from tests.render.helpers import ready_avatar
from tests.streaming.scripts.helpers import lines_for, lipstick
from tests.streaming.scripts_factory import approved_script


def test_the_job_carries_the_version_hash(personas: dict[str, Any]) -> None:
    avatar = ready_avatar(personas)
    approved = approved_script(personas, lines_for(lipstick(personas)), language="zh")
    client = APIClient()
    client.force_authenticate(personas["bob"])
    response = client.post(
        f"/api/v1/scripts/{approved.script_id}/versions/{approved.version_id}/render/",
        {"avatar": str(avatar.public_id), "purpose": "livestream_ecommerce", "platform": "douyin"},
        format="json",
    )
    assert response.status_code == 202, response.content
    job = RenderJob.objects.get(public_id=response.json()["id"])

    assert [line["script_version"] for line in job.lines] == [approved.version_sha256] * 2
    assert job.lines[1]["product_categories"] == ["cosmetics"]
    assert (job.script_version_id, job.script_version_sha256) == (approved.version_id, approved.version_sha256)
    assert response.json()["script_version_sha256"] == approved.version_sha256
    submitted = LedgerEvent.objects.get(subject=job.subject, kind="render_job.submitted").payload_data
    assert submitted["script"] == approved.reference()
