"""An approved script submitted as a short video is rendered by the render task into one stored MP4 (1280x720 from
the landscape test avatar) whose bytes hash to what `short_video.completed` records, with the C2PA manifest id,
watermark id, consent grant, script reference and each line's approved version hash; the ledger verifies."""

from __future__ import annotations

import hashlib
import json
import subprocess
import tempfile
from typing import Any

import pytest
from django.conf import settings

from audit.models import LedgerEvent
from audit.selectors import verify_stored_ledger
from render.engine.c2pa_sign import read_segment
from render.models import ShortVideo
from render.services import segment_storage, submit_short_video
from render.tasks import short_video_task
from tests.render.short_video.helpers import MemoryScriptSource, approved_script, short_video_avatar


@pytest.mark.slow
def test_the_task_renders_stores_and_ledgers_the_video(personas: dict[str, Any], scripts: MemoryScriptSource) -> None:
    avatar = short_video_avatar(personas)
    script = scripts.add(approved_script(personas["acme"]))
    video = submit_short_video(
        avatar=avatar, actor=personas["bob"], script=script, orientation="landscape", resolution="720p"
    )
    assert video.status == ShortVideo.Status.QUEUED
    assert video.lines == script.job_lines()
    assert video.grant_id == avatar.grant_used.pk

    result = short_video_task(video.pk)

    video.refresh_from_db()
    assert result["status"] == "done", (video.error_code, video.error_message)
    assert video.progress == 1.0
    assert len(scripts.voicing_checks) == 2  # at submit and again when the task started
    with segment_storage().open(video.storage_name, "rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == video.sha256
    assert len(data) == video.size
    completed = LedgerEvent.objects.get(subject=video.subject, kind="short_video.completed").payload_data
    assert completed["sha256"] == video.sha256
    assert completed["bytes"] == video.size
    assert completed["duration"] == video.duration_s
    assert completed["manifest_id"] == video.manifest_id
    assert completed["watermark_id"] == video.watermark_id
    assert completed["consent_grant_id"] == str(avatar.grant_used.public_id)
    assert completed["script"] == script.reference()
    assert completed["line_versions"] == {"hello": script.version_sha256}
    assert (completed["width"], completed["height"]) == (1280, 720)
    kinds = list(LedgerEvent.objects.filter(subject=video.subject).order_by("seq").values_list("kind", flat=True))
    assert kinds == ["short_video.submitted", "short_video.completed"]
    assert verify_stored_ledger().ok

    report = read_segment(data, trust_anchor_path=settings.C2PA_TRUST_ANCHOR_PATH)
    assert report.state == "Trusted", report.failures
    assert report.manifest_id == video.manifest_id
    assert report.assertions["com.veracast.consent"]["consent_grant_id"] == str(avatar.grant_used.public_id)
    assert report.assertions["com.veracast.short_video"]["script"] == script.reference()
    with tempfile.NamedTemporaryFile(suffix=".mp4") as copy:
        copy.write(data)
        copy.flush()
        probe = json.loads(
            subprocess.run(
                ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", copy.name],
                capture_output=True, check=True, text=True,
            ).stdout
        )  # fmt: skip
    video_stream = next(s for s in probe["streams"] if s["codec_type"] == "video")
    assert (video_stream["width"], video_stream["height"]) == (1280, 720)
    assert float(probe["format"]["duration"]) == pytest.approx(video.duration_s, abs=0.05)
    assert json.loads(probe["format"]["tags"]["AIGC"])["ProduceID"] == str(video.public_id)
