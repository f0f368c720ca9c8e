"""The influencer revokes the consent while a short video waits in the queue: the revocation hook fails it at once
with the gate's neutral answer (the brand's page does not show `queued` until a worker comes), and the task, when
it runs, leaves it failed and renders nothing."""

from __future__ import annotations

from typing import Any

from audit.models import LedgerEvent
from render.models import ShortVideo
from render.services import submit_short_video
from render.tasks import short_video_task
from tests.consent.helpers import revoke_with_passkey
from tests.render.short_video.helpers import MemoryScriptSource, approved_script, short_video_avatar


def test_a_queued_short_video_fails_when_the_consent_is_revoked(
    personas: dict[str, Any], scripts: MemoryScriptSource, django_capture_on_commit_callbacks: Any
) -> None:
    avatar = short_video_avatar(personas)
    script = scripts.add(approved_script(personas["acme"]))
    video = submit_short_video(avatar=avatar, actor=personas["bob"], script=script, orientation="landscape")
    assert video.status == ShortVideo.Status.QUEUED

    with django_capture_on_commit_callbacks(execute=True):
        revoke_with_passkey(avatar.grant_used, avatar.grant_used.authenticator, personas["iris"])

    video.refresh_from_db()
    assert video.status == ShortVideo.Status.FAILED
    assert video.error_code == "no_consent_for_you"
    assert short_video_task(video.pk)["status"] == "failed"
    assert len(scripts.voicing_checks) == 1  # only at submit: the task never started
    kinds = list(LedgerEvent.objects.filter(subject=video.subject).order_by("seq").values_list("kind", flat=True))
    assert kinds == ["short_video.submitted", "short_video.failed"]
