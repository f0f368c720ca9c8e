"""The influencer revokes the consent while the short video renders: the video fails with the gate's neutral answer
(at the next 2 s span, or at the latest in the transaction that would have completed it), no file is kept, and
no `short_video.completed` is recorded."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from audit.models import LedgerEvent
from render.engine.stream import StreamRenderer
from render.services import segment_storage, submit_short_video
from render.tasks import short_video_task
from tests.consent.helpers import revoke_with_passkey
from tests.render.short_video.helpers import MemoryScriptSource, approved_script, short_video_avatar


@pytest.mark.slow
def test_a_revocation_mid_render_fails_the_video(
    personas: dict[str, Any],
    scripts: MemoryScriptSource,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    avatar = short_video_avatar(personas)
    script = scripts.add(approved_script(personas["acme"]))
    video = submit_short_video(avatar=avatar, actor=personas["bob"], script=script, orientation="landscape")
    drawn: list[int] = []
    original = StreamRenderer.segment_frames

    def revoking(self: StreamRenderer, plan: Any, sequence: int, timings: Any = None) -> Iterator[Any]:
        drawn.append(sequence)
        if sequence == 0:  # the first span is being drawn when the influencer revokes
            with django_capture_on_commit_callbacks(execute=True):
                revoke_with_passkey(avatar.grant_used, avatar.grant_used.authenticator, personas["iris"])
        return original(self, plan, sequence, timings)

    monkeypatch.setattr(StreamRenderer, "segment_frames", revoking)

    result = short_video_task(video.pk)

    video.refresh_from_db()
    assert drawn[0] == 0
    assert result["status"] == "failed"
    assert video.error_code == "no_consent_for_you"
    assert video.storage_name == ""
    storage = segment_storage()
    assert not storage.exists(f"short_videos/{video.public_id}.mp4")
    kinds = list(LedgerEvent.objects.filter(subject=video.subject).order_by("seq").values_list("kind", flat=True))
    assert kinds == ["short_video.submitted", "short_video.failed"]
    refused = LedgerEvent.objects.filter(kind="consent.use_refused").order_by("-seq").first()
    assert refused is not None
    assert refused.payload_data["use"] == "short_video_render"
