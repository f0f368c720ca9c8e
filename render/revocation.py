"""Render's revocation hook (registered in apps.py with consent.broadcast.on_revocation): queued avatars and jobs of
the influencer that the gate now refuses are cancelled and queued short videos fail; a running job stops at its next
segment (the publisher re-checks the grant inside the publishing transaction), a running short video at its next 2 s
span; avatars whose assets key was destroyed become `shredded`."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from audit.services import record_event
from consent.broadcast import Revocation
from consent.models import DataKey
from render.avatars import fail_avatar
from render.errors import ConsentRefused
from render.gating import gate_avatar, gate_job
from render.models import Avatar, RenderJob, ShortVideo
from render.publisher import end_job_if
from render.short_videos import fail_short_video_if_refused


def cancel_work_after_revocation(event: Revocation) -> None:
    """Revocation hook: queued avatars and jobs of the influencer that the gate now refuses are cancelled (a running
    job stops at its next segment's gate check); avatars whose assets key was destroyed become `shredded`."""
    for avatar in Avatar.objects.filter(influencer_id=event.influencer_id).select_related("brand", "assets"):
        if avatar.status == Avatar.Status.READY and avatar.assets is not None:
            destroyed = DataKey.objects.filter(pk=avatar.assets.data_key_id, status=DataKey.Status.DESTROYED).exists()
            if destroyed:
                with transaction.atomic():
                    Avatar.objects.filter(pk=avatar.pk).update(status=Avatar.Status.SHREDDED, updated_at=timezone.now())
                    record_event(
                        kind="avatar.shredded",
                        subject=avatar.subject,
                        # No grant id and no revoked/expired: the ended grant may be another brand's.
                        payload={"reason": "data_key_destroyed"},
                        actor="system",
                        organisation=avatar.brand,
                    )
            continue
        if avatar.status not in (Avatar.Status.QUEUED, Avatar.Status.BUILDING):
            continue
        try:
            gate_avatar(avatar)
        except ConsentRefused as refused:
            fail_avatar(avatar.pk, refused.reason, str(refused.detail))
    for job in RenderJob.objects.filter(avatar__influencer_id=event.influencer_id, status=RenderJob.Status.QUEUED):
        try:
            gate_job(job)
        except ConsentRefused as refused:
            end_job_if(
                job.pk,
                (RenderJob.Status.QUEUED,),
                status=RenderJob.Status.CANCELLED,
                code=refused.reason,
                message=str(refused.detail),
            )
    for video in ShortVideo.objects.filter(
        avatar__influencer_id=event.influencer_id, status=ShortVideo.Status.QUEUED
    ).select_related("avatar", "brand"):
        fail_short_video_if_refused(video)
