"""Reads of streams, scoped like scripts: the brand's members (any role), platform staff and platform auditors see
them; anyone else meets 404 for an id, whether it exists or not. Never the stream key: only its last 4."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Membership, Organisation, User
from accounts.selectors import list_organisations_for
from render.models import Avatar
from streaming.models import ScriptVersion, Stream

STATE_ORDER = ("live", "paused", "scheduled", "draft", "ended", "failed")


def _uuid(value: UUID | str) -> UUID:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except ValueError:
        raise Http404("No such object.") from None


def list_streams_for(user: User, *, organisation: Organisation | None = None) -> QuerySet[Stream]:
    streams = Stream.objects.filter(organisation__in=list_organisations_for(user))
    if organisation is not None:
        streams = streams.filter(organisation=organisation)
    return streams.select_related("organisation", "avatar")


def streams_by_state(user: User) -> list[tuple[str, list[Stream]]]:
    """The user's visible streams grouped by state, live first, each group newest first."""
    groups: dict[str, list[Stream]] = {state: [] for state in STATE_ORDER}
    for stream in list_streams_for(user).order_by("-starts_at")[:500]:
        groups[stream.state].append(stream)
    return [(state, groups[state]) for state in STATE_ORDER if groups[state]]


def get_visible_stream(user: User, public_id: UUID | str) -> Stream:
    stream = (
        Stream.objects.filter(public_id=_uuid(public_id), organisation__in=list_organisations_for(user))
        .select_related("organisation", "avatar", "consent_grant")
        .first()
    )
    if stream is None:
        raise Http404("No such stream.")
    return stream


def get_stream_of_my_likeness(user: User, public_id: UUID | str) -> Stream:
    """A stream that used an avatar built from `user` (the influencer), for her read-only view of its page; 404 for
    anyone else's. Brand-only setup (ingest, key, operators, go-live checks) is not shown to her."""
    stream = (
        Stream.objects.filter(public_id=_uuid(public_id), avatar__influencer__user=user)
        .select_related("organisation", "avatar")
        .first()
    )
    if stream is None:
        raise Http404("No such stream.")
    return stream


def approved_versions_for(organisation: Organisation) -> QuerySet[ScriptVersion]:
    """Every approved version of the brand's scripts: what a playlist may hold."""
    return (
        ScriptVersion.objects.filter(script__organisation=organisation, approval__isnull=False)
        .select_related("script")
        .order_by("script__title", "-number")
    )


def avatars_for(organisation: Organisation) -> QuerySet[Avatar]:
    return Avatar.objects.filter(brand=organisation, status=Avatar.Status.READY).select_related("influencer")


def operator_candidates(organisation: Organisation) -> QuerySet[Membership]:
    return Membership.objects.filter(organisation=organisation, role__in=("owner", "operator")).select_related("user")


def stream_data(stream: Stream) -> dict[str, Any]:
    """The API's view of a stream (never the key: `stream_key_last4` only)."""
    return {
        "id": str(stream.public_id),
        "brand": str(stream.organisation.public_id),
        "title": stream.title,
        "avatar": str(stream.avatar.public_id),
        "platform": stream.platform,
        "rtmp_url": stream.rtmp_url,
        "stream_key_last4": stream.stream_key_last4,
        "registration_id": stream.registration_id,
        "acknowledgements": stream.acknowledgements,
        "operators": [str(u.public_id) for u in stream.operators.order_by("pk")],
        "resolution": stream.resolution,
        "shuffle_within_intents": stream.shuffle_within_intents,
        "answers_at_once": stream.answers_at_once,
        "playlist": [
            {
                "position": e.position,
                "version": str(e.version.public_id),
                "script": str(e.version.script.public_id),
                "number": e.version.number,
                "sha256": e.version.sha256,
            }
            for e in stream.playlist.select_related("version__script").order_by("position")
        ],
        "starts_at": stream.starts_at.isoformat(),
        "stops_at": stream.stops_at.isoformat(),
        "time_zone": stream.time_zone,
        "voice": stream.voice or None,  # None: the platform's default voice
        "few_viewers_below": stream.few_viewers_below,
        "crowd_from": stream.crowd_from,
        "state": stream.state,
        "state_reason": stream.state_reason,
        "runner_status": stream.runner_status,
        "went_live_at": stream.went_live_at.isoformat() if stream.went_live_at else None,
        "ended_at": stream.ended_at.isoformat() if stream.ended_at else None,
        "created_at": stream.created_at.isoformat(),
    }
