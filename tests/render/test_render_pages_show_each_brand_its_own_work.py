"""Render pages: brand members see their avatars with a build progress bar, gesture fields with the suggestions, and
jobs with the HLS player; another brand's ids are 404. Scripts are files (the CSP forbids inline ones)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from render.models import Avatar, RenderJob


def _objects(personas: dict[str, Any]) -> tuple[Avatar, RenderJob]:
    avatar = Avatar.objects.create(
        influencer=personas["iris"].influencer,
        brand=personas["acme"],
        purpose="livestream_ecommerce",
        platform="douyin",
        status=Avatar.Status.BUILDING,
        progress=0.4,
        suggestions=[{"start_s": 2.8, "end_s": 3.6, "score": 2.1}],
    )
    job = RenderJob(avatar=avatar, brand=personas["acme"], purpose="livestream_ecommerce", platform="douyin")
    job.stream_id = str(job.public_id)
    job.settings = {"resolution": "720p", "fps": 30, "engine": "viseme-warp"}
    job.playlist_storage_name = f"{job.stream_id}/index.m3u8"
    job.save()
    return avatar, job


def test_members_see_the_progress_bar_and_the_gesture_suggestions(personas: dict[str, Any]) -> None:
    avatar, job = _objects(personas)
    client = Client()
    client.force_login(personas["bob"])
    listing = client.get("/render/")
    assert listing.status_code == 200
    assert f'data-avatar-progress="{avatar.public_id}"' in listing.content.decode()
    detail = client.get(f"/render/avatars/{avatar.public_id}/").content.decode()
    assert 'data-poll="1"' in detail
    assert "2.80–3.60 s" in detail
    assert 'name="greet-start"' in detail
    assert "Save marks and rebuild" in detail
    assert "<script>" not in detail
    player = client.get(f"/render/jobs/{job.public_id}/").content.decode()
    assert "render/vendor/hls.min.js" in player
    assert f"/api/v1/render-jobs/{job.public_id}/files/index.m3u8" in player


def test_viewers_cannot_mark_and_outsiders_get_404(personas: dict[str, Any]) -> None:
    avatar, job = _objects(personas)
    viewer, outsider = Client(), Client()
    viewer.force_login(personas["victor"])
    outsider.force_login(personas["charlie"])
    assert "Save marks and rebuild" not in viewer.get(f"/render/avatars/{avatar.public_id}/").content.decode()
    assert outsider.get(f"/render/avatars/{avatar.public_id}/").status_code == 404
    assert outsider.get(f"/render/jobs/{job.public_id}/").status_code == 404
    assert str(avatar.public_id) not in outsider.get("/render/").content.decode()
