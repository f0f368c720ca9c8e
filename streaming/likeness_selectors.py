"""Reads behind the influencer's "my likeness" page: every avatar built from her, every stream and short video that
used one (brand, platform, when, how long, which scripts) and her licence usage per day against `hours_per_day`.

Only her own: everything is narrowed by her influencer profile, never by an id from the request. A constant number
of queries whatever she has (avatars, streams, their metered seconds, their playlists, short videos, the scripts
those name, the usage days): the page's test counts them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Sum

from accounts.models import InfluencerProfile
from render.models import Avatar, ShortVideo
from streaming.models import LiveUsageSegment, Script, Stream, StreamPlaylistEntry
from streaming.usage_selectors import UsageRow, usage_rows

MAX_ITEMS = 200


@dataclass
class StreamUse:
    stream: Stream
    live_seconds: float
    scripts: list[str]

    @property
    def live_minutes(self) -> float:
        return round(self.live_seconds / 60, 1)


@dataclass
class VideoUse:
    video: ShortVideo
    script: str

    @property
    def platform(self) -> str:
        return platform_label(self.video.platform)


def platform_label(code: str) -> str:
    return str(dict(Stream.Platform.choices).get(code, code))


@dataclass
class AvatarUses:
    avatar: Avatar
    streams: list[StreamUse] = field(default_factory=list)
    videos: list[VideoUse] = field(default_factory=list)

    @property
    def platform(self) -> str:
        return platform_label(self.avatar.platform)


def likeness_overview(influencer: InfluencerProfile, *, start: date, end: date) -> dict[str, Any]:
    avatars = {
        a.pk: AvatarUses(a)
        for a in Avatar.objects.filter(influencer=influencer)
        .select_related("brand")
        .order_by("-created_at")[:MAX_ITEMS]
    }
    streams = list(
        Stream.objects.filter(avatar__influencer=influencer, avatar_id__in=avatars)
        .select_related("organisation")
        .order_by("-starts_at", "pk")[:MAX_ITEMS]
    )
    ids = [s.pk for s in streams]
    seconds = {
        row["stream_id"]: row["ms"] / 1000
        for row in LiveUsageSegment.objects.filter(stream_id__in=ids)
        .values("stream_id")
        .annotate(ms=Sum("milliseconds"))
        .order_by()
    }
    titles: dict[int, list[str]] = {}
    for entry in (
        StreamPlaylistEntry.objects.filter(stream_id__in=ids)
        .select_related("version__script")
        .order_by("stream_id", "position")
    ):
        label = f"{entry.version.script.title} v{entry.version.number}"
        if label not in titles.setdefault(entry.stream_id, []):
            titles[entry.stream_id].append(label)
    for stream in streams:
        avatars[stream.avatar_id].streams.append(
            StreamUse(stream, seconds.get(stream.pk, 0.0), titles.get(stream.pk, []))
        )

    videos = list(
        ShortVideo.objects.filter(avatar__influencer=influencer, avatar_id__in=avatars)
        .select_related("brand")
        .order_by("-created_at", "pk")[:MAX_ITEMS]
    )
    script_ids = {str(v.script.get("script")) for v in videos if v.script.get("script")}
    script_titles = (
        {
            str(pid): title
            for pid, title in Script.objects.filter(public_id__in=script_ids).values_list("public_id", "title")
        }
        if script_ids
        else {}
    )
    for video in videos:
        title = script_titles.get(str(video.script.get("script")), "")
        number = video.script.get("script_version_number")
        avatars[video.avatar_id].videos.append(VideoUse(video, f"{title} v{number}" if title and number else title))

    usage: list[UsageRow] = usage_rows(influencer=influencer, start=start, end=end)
    return {"avatars": list(avatars.values()), "usage": usage, "start": start, "end": end}
