"""Reads of the render domain, scoped to what a user may see: members of the brand (any role), platform staff and
platform auditors. Anyone else gets 404 for an id, whether it exists or not."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Membership, User
from accounts.selectors import has_platform_read
from render.models import Avatar, RenderJob, Segment, ShortVideo

WRITE_ROLES = frozenset({Membership.Role.OWNER, Membership.Role.EDITOR, Membership.Role.OPERATOR})


def _brand_filter(user: User, field: str) -> Q:
    if has_platform_read(user):
        return Q()
    return Q(**{f"{field}__memberships__user": user})


def list_avatars_for(user: User) -> QuerySet[Avatar]:
    if not user.is_authenticated:
        return Avatar.objects.none()
    return Avatar.objects.filter(_brand_filter(user, "brand")).select_related("brand", "influencer").distinct()


def list_avatars_of_likeness(user: User) -> QuerySet[Avatar]:
    """The avatars built from this influencer's likeness, by any brand, with the consent each stands on: hers to
    see on her dashboard (she is not a member of those brands)."""
    if not user.is_authenticated:
        return Avatar.objects.none()
    return Avatar.objects.filter(influencer__user=user).select_related("brand", "grant").order_by("-created_at", "-pk")


def list_jobs_for(user: User) -> QuerySet[RenderJob]:
    if not user.is_authenticated:
        return RenderJob.objects.none()
    return RenderJob.objects.filter(_brand_filter(user, "brand")).select_related("brand", "avatar").distinct()


def _uuid(value: UUID | str) -> UUID:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except ValueError:
        raise Http404("No such object.") from None


def get_visible_avatar(user: User, public_id: UUID | str) -> Avatar:
    avatar = list_avatars_for(user).filter(public_id=_uuid(public_id)).first()
    if avatar is None:
        raise Http404("No such avatar.")
    return avatar


def get_visible_job(user: User, public_id: UUID | str) -> RenderJob:
    job = list_jobs_for(user).filter(public_id=_uuid(public_id)).select_related("avatar__influencer").first()
    if job is None:
        raise Http404("No such render job.")
    return job


def list_segments(job: RenderJob) -> QuerySet[Segment]:
    return job.segments.order_by("sequence")


def list_short_videos_for(user: User) -> QuerySet[ShortVideo]:
    if not user.is_authenticated:
        return ShortVideo.objects.none()
    return ShortVideo.objects.filter(_brand_filter(user, "brand")).select_related("brand", "avatar").distinct()


def get_visible_short_video(user: User, public_id: UUID | str) -> ShortVideo:
    video = list_short_videos_for(user).filter(public_id=_uuid(public_id)).select_related("avatar__influencer").first()
    if video is None:
        raise Http404("No such short video.")
    return video


def can_write(user: User, brand_id: int) -> bool:
    """Owners, editors and operators of the brand start and change renders; viewers and auditors only read."""
    return Membership.objects.filter(user=user, organisation_id=brand_id, role__in=WRITE_ROLES).exists()


def can_write_any(user: User) -> bool:
    """Whether the user may start render work for some brand (the "Build an avatar" entry point)."""
    return Membership.objects.filter(user=user, role__in=WRITE_ROLES).exists()
