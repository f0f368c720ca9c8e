"""Only approved versions render: the script render endpoint and the render-jobs API refuse an unapproved version
(409 script_not_approved) and another brand's version (404), and queue nothing."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from render.models import RenderJob
from streaming.scripts import latest_version
from tests.render.helpers import ready_avatar
from tests.streaming.scripts.helpers import lines_for, lipstick, write_script
from tests.streaming.scripts_factory import approved_script


def test_unapproved_and_foreign_versions_do_not_render(personas: dict[str, Any]) -> None:
    avatar = ready_avatar(personas)
    script = write_script(personas, lines_for(lipstick(personas)))
    version = latest_version(script)
    client = APIClient()
    client.force_authenticate(personas["bob"])
    body = {"avatar": str(avatar.public_id), "purpose": "livestream_ecommerce", "platform": "douyin"}

    response = client.post(
        f"/api/v1/scripts/{script.public_id}/versions/{version.public_id}/render/", body, format="json"
    )
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "script_not_approved"
    response = client.post("/api/v1/render-jobs/", {**body, "script_version": str(version.public_id)}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "script_not_approved"

    foreign = approved_script(
        personas,
        [{"id": "g", "text": "Hello everyone", "language": "en", "intent": "greet"}],
        organisation=personas["globex"],
    )
    response = client.post("/api/v1/render-jobs/", {**body, "script_version": foreign.version_id}, format="json")
    assert response.status_code == 404
    assert not RenderJob.objects.exists()
