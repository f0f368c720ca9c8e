"""A finished short video is downloaded as an MP4 attachment by members of its brand only: another brand's owner
meets 404 on the detail, the download and the page, as for an id that does not exist."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from render.models import ShortVideo
from render.services import segment_storage
from tests.render.short_video.helpers import short_video_avatar


def _done_video(personas: dict[str, Any]) -> tuple[ShortVideo, bytes]:
    avatar = short_video_avatar(personas)
    data = b"\x00\x00\x00\x18ftypisom" + bytes(range(256)) * 8
    video = ShortVideo.objects.create(avatar=avatar, brand=avatar.brand, grant=avatar.grant_used, platform="douyin")
    stored = segment_storage().save(f"short_videos/{video.public_id}.mp4", ContentFile(data))
    ShortVideo.objects.filter(pk=video.pk).update(
        status=ShortVideo.Status.DONE, storage_name=stored, size=len(data), progress=1.0
    )
    video.refresh_from_db()
    return video, data


def test_only_the_brand_downloads_its_short_video(personas: dict[str, Any], client: Any) -> None:
    video, data = _done_video(personas)
    download = f"/api/v1/short-videos/{video.public_id}/download/"
    api = APIClient()

    api.force_authenticate(personas["victor"])  # a viewer of Acme: members read
    response = api.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Disposition"] == f'attachment; filename="short-video-{video.public_id}.mp4"'
    assert b"".join(response.streaming_content) == data
    assert api.get(f"/api/v1/short-videos/{video.public_id}/").json()["download_url"] == download

    api.force_authenticate(personas["charlie"])  # the owner of Globex
    assert api.get(download).status_code == 404
    assert api.get(f"/api/v1/short-videos/{video.public_id}/").status_code == 404
    assert api.get("/api/v1/short-videos/").json() == []
    client.force_login(personas["charlie"])
    assert client.get(f"/render/short-videos/{video.public_id}/").status_code == 404
