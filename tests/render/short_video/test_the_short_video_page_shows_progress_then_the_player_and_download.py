"""/render/short-videos/<id>/: while the video renders the page shows a progress bar and loads the polling script
(a static file: no inline script under the CSP); once done, a player and the download link; once failed, why, as a
sentence (the gate's neutral answer for a consent refusal)."""

from __future__ import annotations

from typing import Any

from render.models import ShortVideo
from tests.render.short_video.helpers import short_video_avatar


def test_the_page_follows_the_video(personas: dict[str, Any], client: Any) -> None:
    avatar = short_video_avatar(personas)
    video = ShortVideo.objects.create(
        avatar=avatar,
        brand=avatar.brand,
        grant=avatar.grant_used,
        platform="douyin",
        status=ShortVideo.Status.RUNNING,
        progress=0.4,
        settings={"orientation": "portrait", "width": 720, "height": 1280},
        script={"script_version_number": 3},
    )
    client.force_login(personas["victor"])
    url = f"/render/short-videos/{video.public_id}/"

    running = client.get(url).content.decode()
    assert 'data-testid="short-video-progress"' in running
    assert 'value="0.4"' in running
    assert "render/short_video.js" in running
    assert "<script>" not in running
    assert "short-video-download" not in running

    ShortVideo.objects.filter(pk=video.pk).update(status=ShortVideo.Status.DONE, progress=1.0, sha256="ab" * 32)
    done = client.get(url).content.decode()
    download = f"/api/v1/short-videos/{video.public_id}/download/"
    assert f'src="{download}"' in done
    assert f'href="{download}"' in done
    assert "ab" * 32 in done
    assert 'data-testid="short-video-progress"' not in done

    ShortVideo.objects.filter(pk=video.pk).update(status=ShortVideo.Status.FAILED, error_code="no_consent_for_you")
    failed = client.get(url).content.decode()
    assert "consent does not allow this short video" in failed
    assert "no_consent_for_you" not in failed
