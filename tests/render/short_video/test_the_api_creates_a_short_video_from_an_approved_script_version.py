"""POST /api/v1/short-videos/ names an approved script version by its public id; render resolves it through the
script source for the avatar's brand and queues the video (202, status queued, the lines and script reference
stored). An unknown version is 404, a setting the engine does not offer is 400, a viewer is 403; nothing is queued
then."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from render.models import ShortVideo
from tests.render.short_video.helpers import MemoryScriptSource, approved_script, short_video_avatar


def test_a_brand_operator_queues_a_short_video_by_script_version(
    personas: dict[str, Any], scripts: MemoryScriptSource
) -> None:
    avatar = short_video_avatar(personas)
    script = scripts.add(approved_script(personas["acme"]))
    other = scripts.add(approved_script(personas["globex"]))
    api = APIClient()
    api.force_authenticate(personas["bob"])
    body = {"avatar": str(avatar.public_id), "script_version": script.version_id, "orientation": "landscape"}

    response = api.post("/api/v1/short-videos/", body, format="json")

    assert response.status_code == 202, response.json()
    data = response.json()
    assert data["status"] == "queued"
    assert data["progress"] == 0.0
    assert data["download_url"] is None
    assert data["page_url"] == f"/render/short-videos/{data['id']}/"
    assert (data["settings"]["width"], data["settings"]["height"]) == (1280, 720)
    assert data["platform"] == "douyin"
    video = ShortVideo.objects.get(public_id=data["id"])
    assert video.script == script.reference()
    assert [line["script_version"] for line in video.lines] == [script.version_sha256]
    assert api.get("/api/v1/short-videos/").json()[0]["id"] == data["id"]

    unknown = api.post("/api/v1/short-videos/", {**body, "script_version": other.version_id}, format="json")
    assert unknown.status_code == 404  # another brand's version is as unknown as a made-up one
    assert unknown.json()["code"] == "script_version_not_found"
    assert api.post("/api/v1/short-videos/", {**body, "resolution": "4k"}, format="json").status_code == 400
    assert api.post("/api/v1/short-videos/", {**body, "label": "off"}, format="json").status_code == 400
    api.force_authenticate(personas["victor"])
    assert api.post("/api/v1/short-videos/", body, format="json").status_code == 403
    assert ShortVideo.objects.count() == 1
