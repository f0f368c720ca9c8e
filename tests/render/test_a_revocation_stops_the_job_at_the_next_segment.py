"""Revoking the consent mid-job stops the render at the next segment boundary: the segments published before stay
(and verify), no segment is published after, the job is cancelled and `render_job.stopped` says `revoked`. Queued work
of the influencer is cancelled by the revocation hook."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import LedgerEvent
from audit.selectors import verify_stored_ledger
from render.models import Avatar, RenderJob, Segment
from render.services import create_avatar, run_render_job, submit_render_job
from tests.consent.helpers import revoke_with_passkey
from tests.render.helpers import LINES, ready_avatar
from tests.streaming.scripts_factory import approved_script


@pytest.mark.slow
def test_a_revocation_mid_job_ends_it_at_the_next_segment(
    personas: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    avatar = ready_avatar(personas)
    job = submit_render_job(
        avatar=avatar,
        actor=personas["bob"],
        purpose="livestream_ecommerce",
        platform="douyin",
        script=approved_script(personas, LINES),
    )
    job = run_render_job(job_id=job.pk, max_segments=1)
    assert job.status == "running"
    assert job.segment_count
    assert job.segment_count > 1
    assert Segment.objects.filter(job=job).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        revoke_with_passkey(avatar.grant_used, avatar.grant_used.authenticator, personas["iris"])
    job = run_render_job(job_id=job.pk)

    assert job.status == RenderJob.Status.CANCELLED
    assert job.error_code == "no_consent_for_you"
    assert list(Segment.objects.filter(job=job).values_list("sequence", flat=True)) == [0]
    kinds = list(LedgerEvent.objects.filter(subject=job.subject).order_by("seq").values_list("kind", flat=True))
    assert kinds[-1] == "render_job.stopped"
    assert kinds.count("segment.published") == 1
    stopped = LedgerEvent.objects.get(subject=job.subject, kind="render_job.stopped").payload_data
    assert stopped["reason"] == "no_consent_for_you"
    assert stopped["published_segments"] == 1
    assert verify_stored_ledger().ok
    # The data key was destroyed with the consent: the avatar's assets are shredded.
    avatar.refresh_from_db()
    assert avatar.status == Avatar.Status.SHREDDED


def test_the_revocation_hook_cancels_queued_work(
    personas: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    avatar = ready_avatar(personas)
    job = submit_render_job(
        avatar=avatar,
        actor=personas["bob"],
        purpose="livestream_ecommerce",
        platform="douyin",
        script=approved_script(personas, LINES),
    )
    queued_avatar = create_avatar(
        influencer=avatar.influencer,
        brand=personas["acme"],
        actor=personas["bob"],
        purpose="livestream_ecommerce",
        platform="douyin",
    )

    with django_capture_on_commit_callbacks(execute=True):
        revoke_with_passkey(avatar.grant_used, avatar.grant_used.authenticator, personas["iris"])

    job.refresh_from_db()
    queued_avatar.refresh_from_db()
    assert job.status == RenderJob.Status.CANCELLED
    assert job.error_code == "no_consent_for_you"
    assert queued_avatar.status == Avatar.Status.FAILED
    assert queued_avatar.error_code == "no_consent_for_you"
    assert LedgerEvent.objects.filter(subject=job.subject, kind="render_job.stopped").exists()
    assert LedgerEvent.objects.filter(subject=queued_avatar.subject, kind="avatar.failed").exists()
