"""Render's questions to the consent gate. The gate takes what render has: an InfluencerProfile before an avatar
exists, the Avatar (it has `influencer_id`) after."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from accounts.models import InfluencerProfile, Organisation
from consent.gate import ConsentDenied, authorize_use
from consent.models import ConsentGrant
from consent.services import record_use_refused
from render.errors import ConsentRefused
from render.models import Avatar, RenderJob


def gate_use(
    *,
    subject: Avatar | InfluencerProfile,
    brand: Organisation,
    purpose: str,
    platform: str,
    modalities: Sequence[str],
    use: str,
) -> ConsentGrant:
    """The grant that allows this use now, or ConsentRefused with the brand's neutral answer (the gate's detailed
    reason is ledgered for the influencer and staff as `consent.use_refused`)."""
    try:
        return authorize_use(
            avatar=subject, brand=brand, purpose=purpose, platform=platform, modalities=modalities, at=timezone.now()
        )
    except ConsentDenied as denied:
        record_use_refused(
            influencer_id=subject.influencer_id if isinstance(subject, Avatar) else subject.pk,
            brand=brand,
            reason=denied.reason,
            purpose=purpose,
            platform=platform,
            modalities=modalities,
            use=use,
        )
        raise ConsentRefused(denied) from None


def gate_avatar(avatar: Avatar) -> ConsentGrant:
    """The gate for building an avatar: its own brand, purpose and platform."""
    return gate_use(
        subject=avatar,
        brand=avatar.brand,
        purpose=avatar.purpose,
        platform=avatar.platform,
        modalities=avatar.modalities,
        use="avatar_build",
    )


def gate_job(job: RenderJob) -> ConsentGrant:
    """The gate for rendering a job: the job's brand, purpose and platform with its avatar's modalities."""
    return gate_use(
        subject=job.avatar,
        brand=job.brand,
        purpose=job.purpose,
        platform=job.platform,
        modalities=job.avatar.modalities,
        use="render_segment",
    )
