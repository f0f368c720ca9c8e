"""In Chromium (strict CSP: the page's only script is a static file), a brand operator opens a queued short video's
page: the progress bar is shown; the render task runs; the page notices by itself, shows the player, which loads the
MP4 (H.264 + AAC) and knows its duration, and the download link."""

from __future__ import annotations

from typing import Any

import pytest

from render.services import submit_short_video
from render.tasks import short_video_task
from tests.portal.conftest import login, page, screenshot  # noqa: F401  (the portal's page fixture)
from tests.render.short_video.helpers import MemoryScriptSource, approved_script, short_video_avatar

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_page_follows_the_render_and_plays_the_video(
    page: Any,  # noqa: F811
    personas: dict[str, Any],
    scripts: MemoryScriptSource,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Tests run tasks in-process on commit; here the task runs only once the page is open.
    monkeypatch.setattr(short_video_task, "delay_on_commit", lambda *args, **kwargs: None)
    avatar = short_video_avatar(personas)
    script = scripts.add(approved_script(personas["acme"]))
    video = submit_short_video(avatar=avatar, actor=personas["bob"], script=script, orientation="landscape")
    login(page, "bob@acme.example", "bob-password-1")
    page.goto(f"/render/short-videos/{video.public_id}/")
    assert page.get_by_test_id("short-video-progress").count() == 1

    assert short_video_task(video.pk)["status"] == "done"

    player = page.get_by_test_id("short-video-player")
    player.wait_for(timeout=20_000)  # the polling script reloads the page once the video is done
    duration = page.wait_for_function(
        "() => { const v = document.querySelector('[data-testid=short-video-player]');"
        " return v.readyState >= 1 && v.videoWidth === 1280 ? v.duration : null; }",
        timeout=20_000,
    ).json_value()
    video.refresh_from_db()
    assert duration == pytest.approx(video.duration_s, abs=0.1)
    link = page.get_by_test_id("short-video-download")
    assert link.get_attribute("href") == f"/api/v1/short-videos/{video.public_id}/download/"
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"short-video-{video.public_id}.mp4"
    screenshot(page, "short-video-done")
