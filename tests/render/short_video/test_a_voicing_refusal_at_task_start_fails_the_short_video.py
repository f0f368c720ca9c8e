"""When the script source refuses the version at render time (its approval was withdrawn after the video was
queued), the task fails the video with the source's code and reason, renders nothing, keeps no file and records
`short_video.failed`."""

from __future__ import annotations

from typing import Any

from audit.models import LedgerEvent
from common.api import DomainError
from render.models import ShortVideo
from render.services import segment_storage, submit_short_video
from render.tasks import short_video_task
from tests.render.short_video.helpers import MemoryScriptSource, approved_script, short_video_avatar


def test_a_withdrawn_approval_fails_the_video_when_the_task_starts(
    personas: dict[str, Any], scripts: MemoryScriptSource
) -> None:
    avatar = short_video_avatar(personas)
    script = scripts.add(approved_script(personas["acme"]))
    video = submit_short_video(avatar=avatar, actor=personas["bob"], script=script, orientation="landscape")
    scripts.refusal = DomainError(
        "The approval of this script version was withdrawn.", code="script_approval_withdrawn", status_code=409
    )

    result = short_video_task(video.pk)

    video.refresh_from_db()
    assert result["status"] == "failed"
    assert video.status == ShortVideo.Status.FAILED
    assert video.error_code == "script_approval_withdrawn"
    assert video.error_message == "The approval of this script version was withdrawn."
    assert video.storage_name == ""
    assert video.sha256 == ""
    _, files = segment_storage().listdir("short_videos") if segment_storage().exists("short_videos") else ([], [])
    assert files == []
    failed = LedgerEvent.objects.get(subject=video.subject, kind="short_video.failed").payload_data
    assert failed["reason"] == "script_approval_withdrawn"
    assert not LedgerEvent.objects.filter(subject=video.subject, kind="short_video.completed").exists()
    assert short_video_task(video.pk)["status"] == "failed"  # a redelivered task leaves a finished video alone
