"""Streams: create, edit, schedule, the go-live checks and going live, and every state change through one table.

States: draft -> scheduled -> live <-> paused -> ended, or failed (`ALLOWED`). Every move is ledgered under
"stream:<public_id>" with who and why. Going live re-verifies the operator with a passkey assertion over a go-live
document (as script approval does, consent.passkeys) and passes the consent gate; it then records the move, sets
`runner_status = "queued"` and queues the live runner (streaming/runner/, docs/live-runner.md) after the commit.

The stream key never leaves streaming.stream_keys in clear: no payload, page or log line holds more than its last 4.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import uuid
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Organisation, RealNameRecord, User
from audit.services import record_event
from common.api import DomainError
from consent import passkeys
from consent.gate import ConsentDenied, authorize_use
from consent.models import ConsentGrant, WebAuthnCredential
from consent.passkey_documents import forget_document, issue_document, pending_document, verify_document_signature
from consent.scope import format_time
from render.engine.options import RESOLUTIONS
from render.models import Avatar
from streaming import metering, stream_keys
from streaming.models import ScriptVersion, Stream, StreamPlaylistEntry
from streaming.platform_profiles import profile_for
from streaming.selectors import has_brand_role
from streaming.stream_voice import clean_strategy_tiers, clean_stream_voice

State = Stream.State
PURPOSE = "livestream_ecommerce"
WRITE_ROLES = frozenset({Membership.Role.OWNER, Membership.Role.EDITOR})
OPERATOR_ROLES = frozenset({Membership.Role.OWNER, Membership.Role.OPERATOR})
ACTIVE_STATES = (State.SCHEDULED, State.LIVE, State.PAUSED)
MAX_PLAYLIST = 50
MAX_OPERATORS = 10
MAX_TITLE = 200
MAX_REASON = 500
GO_LIVE_TTL_SECONDS = 300
GO_LIVE_DOCUMENT_TYPE = "veracast.stream_go_live/v1"
# A start a minute in the past is "now" (the form took a while to fill in), not a schedule in the past.
PAST_TOLERANCE = timedelta(minutes=5)

# (from, to) -> the ledger kind of that move. Anything else is refused with 409 `transition_not_allowed`.
ALLOWED: dict[tuple[str, str], str] = {
    (State.DRAFT, State.SCHEDULED): "stream.scheduled",
    (State.DRAFT, State.ENDED): "stream.ended",
    (State.SCHEDULED, State.LIVE): "stream.went_live",
    (State.SCHEDULED, State.ENDED): "stream.ended",
    (State.SCHEDULED, State.FAILED): "stream.failed",
    (State.LIVE, State.PAUSED): "stream.paused",
    (State.LIVE, State.ENDED): "stream.ended",
    (State.LIVE, State.FAILED): "stream.failed",
    (State.PAUSED, State.LIVE): "stream.resumed",
    (State.PAUSED, State.ENDED): "stream.ended",
    (State.PAUSED, State.FAILED): "stream.failed",
}


# Refusals ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """One unmet go-live condition: a stable code and the same sentence in English and Chinese."""

    code: str
    en: str
    zh: str

    def sentence(self, language: str) -> str:
        return self.zh if (language or "").startswith("zh") else self.en

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "en": self.en, "zh": self.zh}


SENTENCES: dict[str, tuple[str, str]] = {
    "not_scheduled": (
        "Only a scheduled stream can go live; schedule it first.",
        "只有已排期的直播才能开播，请先排期。",
    ),
    "already_live": ("This stream is live already.", "本场直播已在直播中。"),
    "no_consent_for_you": (
        "The influencer's consent does not cover this avatar, brand, live selling on this platform or every "
        "modality used now.",
        "达人的授权不涵盖此数字人、品牌、在该平台直播带货或当前使用的全部模态。",
    ),
    "avatar_not_ready": ("The avatar is not built yet.", "数字人尚未构建完成。"),
    "empty_playlist": ("The playlist has no script version.", "播放列表中没有话术版本。"),
    "script_not_approved": (
        "A script version in the playlist is not approved.",
        "播放列表中有未经批准的话术版本。",
    ),
    "script_not_voiceable": (
        "A script version in the playlist names a product the influencer's consent excludes, or its approval was "
        "withdrawn.",
        "播放列表中有话术版本涉及达人授权排除的商品，或其批准已撤销。",
    ),
    "operator_not_verified": (
        "The operator is not real-name verified.",
        "场控尚未完成实名认证。",
    ),
    "operator_under_18": ("The operator is under 18.", "场控未满18周岁。"),
    "operator_not_member": (
        "The operator is not an owner or operator of the brand.",
        "场控不是该品牌的所有者或场控。",
    ),
    "operator_not_assigned": (
        "The operator is not assigned to this stream.",
        "场控未被指派到本场直播。",
    ),
    "passkey_required": (
        "The operator has no passkey: going live is confirmed with one.",
        "场控没有通行密钥：开播须用通行密钥确认身份。",
    ),
    "schedule_over": ("The scheduled stop time has passed.", "排定的结束时间已过。"),
    "schedule_overlap": (
        "Another stream of the same avatar or consent is scheduled in the same hours.",
        "同一数字人或同一授权的另一场直播排在相同时段。",
    ),
    "licence_hours_used_up": (
        "Today's hours of the influencer's licence are used up for this brand; the stream can go live tomorrow.",
        "达人授权今日给本品牌的直播时长已用完，明天才能开播。",
    ),
    "voice_unavailable": (
        "The stream's voice can no longer be used (the voice clone server was removed, or the avatar has no voice "
        "consent): choose another voice on the stream's page.",
        "本直播选择的声音已无法使用（声音克隆服务已移除，或数字人没有声音授权）：请在直播页面换一个声音。",
    ),
}


def refusal(code: str) -> Refusal:
    en, zh = SENTENCES[code]
    return Refusal(code=code, en=en, zh=zh)


# Permissions ---------------------------------------------------------------------------------------------------


def can_write_streams(user: User, organisation_id: int) -> bool:
    return has_brand_role(user, organisation_id, WRITE_ROLES)


def can_operate_streams(user: User, organisation_id: int) -> bool:
    return has_brand_role(user, organisation_id, OPERATOR_ROLES)


def _require_writer(actor: User, organisation: Organisation) -> None:
    if not can_write_streams(actor, organisation.pk):
        raise DomainError(
            "Only the brand's owners and editors may set up its streams.", code="permission_denied", status_code=403
        )


# Input checks --------------------------------------------------------------------------------------------------


def _bad(message: str, code: str) -> DomainError:
    return DomainError(message, code=code, status_code=400)


def _private(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def clean_rtmp_url(value: object) -> str:
    """An rtmp:// or rtmps:// URL with a host; in production (RTMP_ALLOW_PRIVATE off) no host that is or resolves to
    a private, loopback or link-local address (SSRF)."""
    if not isinstance(value, str) or not value.strip():
        raise _bad("Enter the platform's RTMP ingest URL.", "rtmp_url_required")
    url = value.strip()
    if len(url) > 500 or any(ord(ch) < 33 or ord(ch) == 127 for ch in url):
        raise _bad("The RTMP URL is too long or contains spaces or control characters.", "invalid_rtmp_url")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _bad("The RTMP URL is not a valid URL.", "invalid_rtmp_url") from None
    if parts.scheme.lower() not in ("rtmp", "rtmps"):
        raise _bad("The ingest URL must start with rtmp:// or rtmps://.", "rtmp_scheme_not_allowed")
    host = parts.hostname or ""
    if not host:
        raise _bad("The RTMP URL names no host.", "invalid_rtmp_url")
    if parts.username or parts.password:
        raise _bad("Put no user name or password in the RTMP URL.", "invalid_rtmp_url")
    if settings.RTMP_ALLOW_PRIVATE:
        return url
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, port or 1935, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            raise _bad(f"The RTMP host {host} cannot be resolved.", "rtmp_host_unresolvable") from None
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses or any(_private(a) for a in addresses):
        raise _bad(
            "The RTMP host is a private, loopback or link-local address; a stream can only push to a public ingest.",
            "rtmp_host_not_allowed",
        )
    return url


def clean_schedule(*, starts_at: datetime, stops_at: datetime, time_zone: str, now: datetime | None = None) -> str:
    now = now or timezone.now()
    try:
        zoneinfo.ZoneInfo(str(time_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise _bad(f"{time_zone!r} is not an IANA time zone (e.g. Asia/Shanghai).", "invalid_time_zone") from None
    if timezone.is_naive(starts_at) or timezone.is_naive(stops_at):
        raise _bad("Give the start and stop times with their UTC offset.", "invalid_schedule")
    if stops_at <= starts_at:
        raise _bad("The stop time must be after the start time.", "invalid_schedule")
    if starts_at < now - PAST_TOLERANCE:
        raise _bad("The schedule starts in the past; choose a start from now on.", "schedule_in_past")
    return str(time_zone)


def _clean_title(title: object) -> str:
    text = str(title or "").strip()
    if not text or len(text) > MAX_TITLE:
        raise _bad(f"A title of 1 to {MAX_TITLE} characters is needed.", "invalid_title")
    return text


def _clean_versions(organisation: Organisation, version_ids: Sequence[Any]) -> list[ScriptVersion]:
    if not version_ids:
        raise _bad("Choose at least one approved script version for the playlist.", "empty_playlist")
    if len(version_ids) > MAX_PLAYLIST:
        raise _bad(f"At most {MAX_PLAYLIST} versions per playlist.", "playlist_too_long")
    versions = []
    for value in version_ids:
        try:
            public_id = uuid.UUID(str(value))
        except ValueError:
            raise DomainError("No such script version.", code="script_version_not_found", status_code=404) from None
        version = (
            ScriptVersion.objects.select_related("script")
            .filter(public_id=public_id, script__organisation=organisation)
            .first()
        )
        if version is None:
            raise DomainError("No such script version.", code="script_version_not_found", status_code=404)
        if not hasattr(version, "approval"):
            raise DomainError(
                f"Version {version.number} of “{version.script.title}” is not approved: only approved versions can "
                "be put on a stream's playlist.",
                code="script_not_approved",
                status_code=409,
            )
        versions.append(version)
    return versions


def _clean_operators(organisation: Organisation, operator_ids: Iterable[Any]) -> list[User]:
    ids = list(dict.fromkeys(str(o) for o in operator_ids))
    if len(ids) > MAX_OPERATORS:
        raise _bad(f"At most {MAX_OPERATORS} operators per stream.", "too_many_operators")
    users = []
    for value in ids:
        try:
            public_id = uuid.UUID(value)
        except ValueError:
            raise _bad("An operator must be one of the brand's owners or operators.", "operator_not_member") from None
        membership = (
            Membership.objects.select_related("user")
            .filter(organisation=organisation, user__public_id=public_id, role__in=OPERATOR_ROLES)
            .first()
        )
        if membership is None:
            raise _bad("An operator must be one of the brand's owners or operators.", "operator_not_member")
        users.append(membership.user)
    return users


def _clean_acknowledgements(platform: str, given: Mapping[str, Any] | None) -> dict[str, bool]:
    profile = profile_for(platform)
    known = {r.code for r in profile.acknowledgements}
    given = dict(given or {})
    unknown = set(given) - known
    if unknown:
        raise _bad(f"{platform} asks for no acknowledgement named {sorted(unknown)}.", "unknown_acknowledgement")
    return {code: bool(given.get(code)) for code in sorted(known)}


def _clean_platform(platform: object) -> str:
    if platform not in Stream.Platform.values:
        raise _bad(f"platform must be one of {', '.join(Stream.Platform.values)}.", "invalid_platform")
    return str(platform)


def _clean_resolution(resolution: object) -> str:
    if resolution not in RESOLUTIONS:
        raise _bad(f"resolution must be one of {', '.join(RESOLUTIONS)}.", "invalid_resolution")
    return str(resolution)


def _clean_registration_id(value: object) -> str:
    text = str(value or "").strip()
    if len(text) > 128 or any(ord(ch) < 32 for ch in text):
        raise _bad(
            "The registration id has at most 128 characters and no control characters.", "invalid_registration_id"
        )
    return text


def _overlapping(stream: Stream) -> bool:
    """Another active stream of the same avatar, or of an avatar on the same consent grant, in overlapping hours."""
    same = Q(avatar_id=stream.avatar_id)
    if stream.avatar.grant_id is not None:
        same |= Q(avatar__grant_id=stream.avatar.grant_id)
    return (
        Stream.objects.filter(
            same, state__in=ACTIVE_STATES, starts_at__lt=stream.stops_at, stops_at__gt=stream.starts_at
        )
        .exclude(pk=stream.pk)
        .exists()
    )


def _require_free_schedule(stream: Stream) -> None:
    """409 when the hours are taken: by another stream of the avatar or grant at the same time, or, on a local day,
    by the brand's other streams on the grant beyond the consent's hours_per_day (streaming.metering)."""
    if _overlapping(stream):
        raise DomainError(refusal("schedule_overlap").en, code="schedule_overlap", status_code=409)
    conflict = metering.licence_hours_conflict(stream)
    if conflict is not None:
        raise DomainError(
            _(
                "On %(day)s this stream and %(others)s would be scheduled for %(hours)s hours of the influencer's "
                "licence, which allows %(limit)s hours a day: shorten or move one of them."
            )
            % {
                "day": conflict.day.isoformat(),
                "others": ", ".join(f"“{title}”" for title in conflict.other_titles),
                "hours": f"{conflict.scheduled_hours:g}",
                "limit": conflict.limit_hours,
            },
            code="licence_hours_exceeded",
            status_code=409,
        )


# Writes --------------------------------------------------------------------------------------------------------


def _public_fields(stream: Stream) -> dict[str, Any]:
    """What the ledger records of a stream's setup: never the key, only its last 4."""
    return {
        "stream": str(stream.public_id),
        "title": stream.title,
        "avatar": str(stream.avatar.public_id),
        "platform": stream.platform,
        "rtmp_host": urlsplit(stream.rtmp_url).hostname or "",
        "stream_key_last4": stream.stream_key_last4,
        "registration_id": stream.registration_id,
        "acknowledgements": stream.acknowledgements,
        "operators": sorted(str(u.public_id) for u in stream.operators.all()),
        "resolution": stream.resolution,
        "shuffle_within_intents": stream.shuffle_within_intents,
        "answers_at_once": stream.answers_at_once,
        "playlist": [
            {"position": e.position, "version": str(e.version.public_id), "sha256": e.version.sha256}
            for e in stream.playlist.select_related("version").order_by("position")
        ],
        "starts_at": stream.starts_at.isoformat(),
        "stops_at": stream.stops_at.isoformat(),
        "time_zone": stream.time_zone,
        "voice": stream.voice,
        "few_viewers_below": stream.few_viewers_below,
        "crowd_from": stream.crowd_from,
    }


def create_stream(
    *,
    organisation: Organisation,
    actor: User,
    title: str,
    avatar: Avatar,
    version_ids: Sequence[Any],
    platform: str,
    rtmp_url: str,
    stream_key: str,
    starts_at: datetime,
    stops_at: datetime,
    time_zone: str = "Asia/Shanghai",
    registration_id: str = "",
    operator_ids: Iterable[Any] = (),
    resolution: str = "720p-portrait",
    shuffle_within_intents: bool = False,
    answers_at_once: bool = False,
    acknowledgements: Mapping[str, Any] | None = None,
    voice: Mapping[str, Any] | None = None,
    few_viewers_below: int | None = None,
    crowd_from: int | None = None,
) -> Stream:
    """A new draft stream; every input checked first (4xx with a sentence), so a refusal stores nothing."""
    _require_writer(actor, organisation)
    if avatar.brand_id != organisation.pk:
        raise DomainError("No such avatar for this brand.", code="avatar_not_found", status_code=404)
    title = _clean_title(title)
    platform = _clean_platform(platform)
    url = clean_rtmp_url(rtmp_url)
    key = stream_keys.clean_stream_key(stream_key)
    zone = clean_schedule(starts_at=starts_at, stops_at=stops_at, time_zone=time_zone)
    versions = _clean_versions(organisation, version_ids)
    operators = _clean_operators(organisation, operator_ids)
    acks = _clean_acknowledgements(platform, acknowledgements)
    resolution = _clean_resolution(resolution)
    registration = _clean_registration_id(registration_id)
    # The host's voice and strategy tiers (streaming/stream_voice.py: the engine's options, one source of truth).
    host_voice = clean_stream_voice(avatar=avatar, voice=voice)
    few, crowd = clean_strategy_tiers(few_viewers_below, crowd_from)
    public_id = uuid.uuid4()
    sealed = stream_keys.seal_stream_key(stream_public_id=str(public_id), key=key)
    with transaction.atomic():
        stream = Stream.objects.create(
            public_id=public_id,
            organisation=organisation,
            title=title,
            avatar=avatar,
            platform=platform,
            rtmp_url=url,
            stream_key_ciphertext=sealed,
            stream_key_last4=stream_keys.last4(key),
            registration_id=registration,
            acknowledgements=acks,
            resolution=resolution,
            shuffle_within_intents=bool(shuffle_within_intents),
            answers_at_once=bool(answers_at_once),
            voice=host_voice,
            few_viewers_below=few,
            crowd_from=crowd,
            starts_at=starts_at,
            stops_at=stops_at,
            time_zone=zone,
            created_by=actor,
        )
        stream.operators.set(operators)
        StreamPlaylistEntry.objects.bulk_create(
            [StreamPlaylistEntry(stream=stream, position=i, version=v) for i, v in enumerate(versions, start=1)]
        )
        record_event(
            kind="stream.created",
            subject=stream.subject,
            payload=_public_fields(stream),
            actor=actor,
            organisation=organisation,
        )
    return stream


EDITABLE_STATES = (State.DRAFT, State.SCHEDULED)


def update_stream(*, stream: Stream, actor: User, changes: Mapping[str, Any]) -> Stream:
    """Change a draft or scheduled stream's setup (any field create_stream takes, but the avatar). A new stream key
    replaces the old one; the ledger records the changed field names and the new last 4, never a key."""
    _require_writer(actor, stream.organisation)
    allowed = {
        "title",
        "version_ids",
        "platform",
        "rtmp_url",
        "stream_key",
        "starts_at",
        "stops_at",
        "time_zone",
        "registration_id",
        "operator_ids",
        "resolution",
        "shuffle_within_intents",
        "answers_at_once",
        "acknowledgements",
        "voice",
        "few_viewers_below",
        "crowd_from",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise _bad(f"These fields cannot be changed: {sorted(unknown)}.", "invalid_fields")
    with transaction.atomic():
        locked = Stream.objects.select_for_update().select_related("organisation", "avatar").get(pk=stream.pk)
        if locked.state not in EDITABLE_STATES:
            raise DomainError(
                "Only a draft or scheduled stream can be changed.", code="stream_not_editable", status_code=409
            )
        fields: list[str] = []
        if "title" in changes:
            locked.title = _clean_title(changes["title"])
            fields.append("title")
        if "platform" in changes:
            locked.platform = _clean_platform(changes["platform"])
            fields.append("platform")
        if "acknowledgements" in changes or "platform" in changes:
            locked.acknowledgements = _clean_acknowledgements(
                locked.platform, changes.get("acknowledgements", locked.acknowledgements)
            )
            fields.append("acknowledgements")
        if "rtmp_url" in changes:
            locked.rtmp_url = clean_rtmp_url(changes["rtmp_url"])
            fields.append("rtmp_url")
        if "stream_key" in changes:
            key = stream_keys.clean_stream_key(changes["stream_key"])
            locked.stream_key_ciphertext = stream_keys.seal_stream_key(stream_public_id=str(locked.public_id), key=key)
            locked.stream_key_last4 = stream_keys.last4(key)
            fields.append("stream_key")
        if {"starts_at", "stops_at", "time_zone"} & set(changes):
            locked.starts_at = changes.get("starts_at", locked.starts_at)
            locked.stops_at = changes.get("stops_at", locked.stops_at)
            locked.time_zone = clean_schedule(
                starts_at=locked.starts_at,
                stops_at=locked.stops_at,
                time_zone=changes.get("time_zone", locked.time_zone),
            )
            fields.append("schedule")
        if "registration_id" in changes:
            locked.registration_id = _clean_registration_id(changes["registration_id"])
            fields.append("registration_id")
        if "resolution" in changes:
            locked.resolution = _clean_resolution(changes["resolution"])
            fields.append("resolution")
        if "shuffle_within_intents" in changes:
            locked.shuffle_within_intents = bool(changes["shuffle_within_intents"])
            fields.append("shuffle_within_intents")
        if "answers_at_once" in changes:
            locked.answers_at_once = bool(changes["answers_at_once"])
            fields.append("answers_at_once")
        if "voice" in changes:
            locked.voice = clean_stream_voice(avatar=locked.avatar, voice=changes["voice"])
            fields.append("voice")
        if {"few_viewers_below", "crowd_from"} & set(changes):
            locked.few_viewers_below, locked.crowd_from = clean_strategy_tiers(
                changes.get("few_viewers_below", locked.few_viewers_below),
                changes.get("crowd_from", locked.crowd_from),
            )
            fields.append("strategy_tiers")
        if locked.state == State.SCHEDULED and "schedule" in fields:
            _require_free_schedule(locked)
        locked.updated_at = timezone.now()
        locked.save()
        if "operator_ids" in changes:
            locked.operators.set(_clean_operators(locked.organisation, changes["operator_ids"]))
            fields.append("operators")
        if "version_ids" in changes:
            versions = _clean_versions(locked.organisation, changes["version_ids"])
            locked.playlist.all().delete()
            StreamPlaylistEntry.objects.bulk_create(
                [StreamPlaylistEntry(stream=locked, position=i, version=v) for i, v in enumerate(versions, start=1)]
            )
            fields.append("playlist")
        record_event(
            kind="stream.updated",
            subject=locked.subject,
            payload={"stream": str(locked.public_id), "fields": sorted(set(fields)), "setup": _public_fields(locked)},
            actor=actor,
            organisation=locked.organisation,
        )
    return locked


def _record_move(
    *,
    kind: Literal[
        "stream.scheduled",
        "stream.went_live",
        "stream.paused",
        "stream.resumed",
        "stream.ended",
        "stream.failed",
    ],
    stream: Stream,
    previous: str,
    reason: str,
    actor: User | None,
) -> None:
    record_event(
        kind=kind,
        subject=stream.subject,
        payload={
            "stream": str(stream.public_id),
            "from": previous,
            "to": stream.state,
            "reason": reason,
            "by": str(actor.public_id) if actor is not None else None,
        },
        actor=actor,
        organisation=stream.organisation,
    )


def transition_stream(
    *, stream: Stream, to: str, actor: User | None, reason: str, extra: Mapping[str, Any] | None = None
) -> Stream:
    """The one place a stream changes state: the move must be in ALLOWED; it is ledgered with who and why. The
    caller may already hold the row lock (go_live does); taking it again in the same transaction is free."""
    reason = str(reason or "").strip()[:MAX_REASON]
    if not reason:
        raise _bad("Say why the stream changes state.", "reason_required")
    with transaction.atomic():
        locked = Stream.objects.select_for_update().select_related("organisation").get(pk=stream.pk)
        kind = ALLOWED.get((locked.state, to))
        if kind is None:
            code = (
                "stream_already_live"
                if to == State.LIVE and locked.state in (State.LIVE,)
                else "transition_not_allowed"
            )
            raise DomainError(f"A stream that is {locked.state} cannot become {to}.", code=code, status_code=409)
        previous = locked.state
        now = timezone.now()
        locked.state = to
        locked.state_reason = reason
        locked.updated_at = now
        if to == State.LIVE and previous == State.SCHEDULED:
            locked.went_live_at = now
        if to in (State.ENDED, State.FAILED):
            locked.ended_at = now
        for name, value in (extra or {}).items():
            setattr(locked, name, value)
        locked.save()
        _record_move(
            kind=kind,  # type: ignore[arg-type]  # ALLOWED's values are exactly the Literal below
            stream=locked,
            previous=previous,
            reason=reason,
            actor=actor,
        )
    return locked


def schedule_stream(*, stream: Stream, actor: User, reason: str = "scheduled by the brand") -> Stream:
    """draft -> scheduled: the schedule still ahead and free of overlaps with the same avatar or grant."""
    _require_writer(actor, stream.organisation)
    with transaction.atomic():
        locked = Stream.objects.select_for_update().select_related("avatar").get(pk=stream.pk)
        if locked.stops_at <= timezone.now():
            raise _bad(refusal("schedule_over").en, "schedule_in_past")
        _require_free_schedule(locked)
        return transition_stream(stream=locked, to=State.SCHEDULED, actor=actor, reason=reason)


def change_stream_state(*, stream: Stream, actor: User, to: str, reason: str) -> Stream:
    """An operator's pause, resume or end (the brand's writers may also end). Going live is go_live's alone."""
    if to == State.LIVE and stream.state != State.PAUSED:
        raise DomainError("Go live with a passkey on the stream's page.", code="use_go_live", status_code=409)
    if to == State.ENDED:
        allowed = can_operate_streams(actor, stream.organisation_id) or can_write_streams(actor, stream.organisation_id)
    else:
        allowed = stream.operators.filter(pk=actor.pk).exists() and can_operate_streams(actor, stream.organisation_id)
    if not allowed:
        raise DomainError(
            "Only the stream's assigned operators may pause or resume it.", code="permission_denied", status_code=403
        )
    # An operator's pause is told apart from the runner's own (operator absent, licence used up): the runner never
    # resumes it.
    cause = Stream.PauseCause.OPERATOR if to == State.PAUSED else Stream.PauseCause.NONE
    return transition_stream(stream=stream, to=to, actor=actor, reason=reason, extra={"pause_cause": cause})


# Go-live checks --------------------------------------------------------------------------------------------------


def _consent(stream: Stream) -> ConsentGrant | None:
    try:
        return authorize_use(
            avatar=stream.avatar,
            brand=stream.organisation,
            purpose=PURPOSE,
            platform=stream.platform,
            modalities=stream.avatar.modalities,
            at=timezone.now(),
        )
    except ConsentDenied:
        return None


def _operator_refusals(stream: Stream, operator: User) -> list[Refusal]:
    found: list[Refusal] = []
    record = RealNameRecord.objects.filter(user=operator).first()
    if record is None:
        found.append(refusal("operator_not_verified"))
    elif record.adult_on is not None and record.adult_on > timezone.localdate():
        found.append(refusal("operator_under_18"))
    if not can_operate_streams(operator, stream.organisation_id):
        found.append(refusal("operator_not_member"))
    if not stream.operators.filter(pk=operator.pk).exists():
        found.append(refusal("operator_not_assigned"))
    if not WebAuthnCredential.objects.filter(user=operator).exists():
        found.append(refusal("passkey_required"))
    return found


def _profile_refusals(stream: Stream) -> list[Refusal]:
    found = []
    for requirement in profile_for(stream.platform).requirements:
        met = {
            "registration_id": bool(stream.registration_id),
            "operator": stream.operators.exists(),
            "acknowledgement": bool(stream.acknowledgements.get(requirement.code)),
        }[requirement.kind]
        if not met:
            found.append(Refusal(code=f"profile_{requirement.code}", en=requirement.en, zh=requirement.zh))
    return found


def _playlist_refusals(stream: Stream, grant: ConsentGrant | None) -> list[Refusal]:
    from render.script_source import script_source

    entries = list(stream.playlist.select_related("version").order_by("position"))
    if not entries:
        return [refusal("empty_playlist")]
    found: list[Refusal] = []
    for entry in entries:
        try:
            approved = script_source().resolve(
                organisation=stream.organisation, version_id=str(entry.version.public_id)
            )
        except DomainError:
            found.append(refusal("script_not_approved"))
            continue
        if grant is not None:
            try:
                script_source().check_voicing(script=approved, grant=grant)
            except DomainError:
                found.append(refusal("script_not_voiceable"))
    return list(dict.fromkeys(found))


def check_go_live(*, stream: Stream, operator: User) -> list[Refusal]:
    """Every unmet go-live condition for `operator` now (empty: the stream may go live once the operator confirms
    with a passkey). A read: the gate is asked without ledgering; go_live asks it again through render's gate."""
    found: list[Refusal] = []
    if stream.state in (State.LIVE, State.PAUSED):
        found.append(refusal("already_live"))
    elif stream.state != State.SCHEDULED:
        found.append(refusal("not_scheduled"))
    if stream.avatar.status != Avatar.Status.READY:
        found.append(refusal("avatar_not_ready"))
    grant = _consent(stream)
    if grant is None:
        found.append(refusal("no_consent_for_you"))
    found += _playlist_refusals(stream, grant)
    found += _operator_refusals(stream, operator)
    found += _profile_refusals(stream)
    if stream.stops_at <= timezone.now():
        found.append(refusal("schedule_over"))
    if _overlapping(stream):
        found.append(refusal("schedule_overlap"))
    if grant is not None and metering.live_seconds_left(stream.pk, timezone.now()) == 0:
        found.append(refusal("licence_hours_used_up"))
    if not _voice_usable(stream):
        found.append(refusal("voice_unavailable"))
    return found


def _voice_usable(stream: Stream) -> bool:
    """The voice chosen when the stream was set up is checked again: the platform's clone server or the avatar's
    voice consent may be gone since, and a stream must not go live to fail at its first line."""
    from render.voice_clone import CLONE_BACKEND, clone_configured

    if (stream.voice or {}).get("tts_backend") != CLONE_BACKEND:
        return True
    return clone_configured() and bool(stream.avatar.voice)


def _go_live_cache_key(operator: User, stream: Stream) -> str:
    return f"veracast:streaming:go-live:{operator.public_id}:{stream.public_id}"


def go_live_document(*, stream: Stream, operator: User, issued_at: str) -> dict[str, Any]:
    """What the operator's passkey signs at go-live (its SHA-256 is the WebAuthn challenge): this stream, now, by
    this person, speaking these exact versions."""
    return {
        "type": GO_LIVE_DOCUMENT_TYPE,
        "organisation": str(stream.organisation.public_id),
        "stream": str(stream.public_id),
        "avatar": str(stream.avatar.public_id),
        "platform": stream.platform,
        "registration_id": stream.registration_id,
        "playlist": [e.version.sha256 for e in stream.playlist.select_related("version").order_by("position")],
        "operator": {"id": str(operator.public_id), "name": operator.display_name or operator.email},
        "issued_at": issued_at,
    }


def _refuse_go_live(stream: Stream, operator: User, refusals: Sequence[Refusal]) -> DomainError:
    """Ledger the refusal (its own transaction: it must outlive the error) and the 409 to raise."""
    with transaction.atomic():
        record_event(
            kind="stream.go_live_refused",
            subject=stream.subject,
            payload={
                "stream": str(stream.public_id),
                "operator": str(operator.public_id),
                "codes": [r.code for r in refusals],
            },
            actor=operator,
            organisation=stream.organisation,
        )
    error = DomainError(" ".join(r.en for r in refusals), code="go_live_refused", status_code=409)
    error.refusals = [r.as_dict() for r in refusals]  # type: ignore[attr-defined]
    return error


def _require_operator_role(user: User, stream: Stream) -> None:
    """Viewers, auditors and staff cannot try: going live is for the brand's owners and operators (whose attempts,
    refused or not, are ledgered)."""
    if not can_operate_streams(user, stream.organisation_id):
        raise DomainError(
            "Only the brand's owners and operators may take a stream live.", code="permission_denied", status_code=403
        )


def begin_go_live(*, stream: Stream, operator: User, rp: passkeys.RelyingParty | None = None) -> dict[str, Any]:
    """The go-live document and WebAuthn request options whose challenge is its SHA-256 (valid 5 minutes)."""
    _require_operator_role(operator, stream)
    refusals = check_go_live(stream=stream, operator=operator)
    if refusals:
        raise _refuse_go_live(stream, operator, refusals)
    return issue_document(
        user=operator,
        document=go_live_document(stream=stream, operator=operator, issued_at=format_time(timezone.now())),
        cache_key=_go_live_cache_key(operator, stream),
        ttl_s=GO_LIVE_TTL_SECONDS,
        rp=rp,
    )


def go_live(*, stream: Stream, operator: User, credential: Any, rp: passkeys.RelyingParty | None = None) -> Stream:
    """scheduled -> live: every check passes, the operator's passkey signed the go-live document just issued, and
    render's consent gate allows the use now (ledgered as use "stream_go_live" when it refuses). 409
    `stream_already_live` for a stream started twice. The live runner is queued on the render queue once the
    move commits (runner_status "queued"; queue_live_runner below)."""
    from render.errors import ConsentRefused
    from render.gating import gate_use

    _require_operator_role(operator, stream)
    if stream.state in (State.LIVE, State.PAUSED):
        raise DomainError("This stream is live already.", code="stream_already_live", status_code=409)
    refusals = check_go_live(stream=stream, operator=operator)
    if refusals:
        raise _refuse_go_live(stream, operator, refusals)
    key = _go_live_cache_key(operator, stream)
    document = pending_document(key)
    if not document:
        raise DomainError(
            "Start going live again: the document to sign has expired.", code="go_live_expired", status_code=400
        )
    signed = json.loads(document)
    current = go_live_document(stream=stream, operator=operator, issued_at=signed["issued_at"])
    if signed != current:
        raise DomainError(
            "The stream changed since you started going live; start again.", code="go_live_changed", status_code=409
        )
    try:
        signature = verify_document_signature(user=operator, document=document, credential=credential, rp=rp)
    except DomainError as failed:
        # Ledgered as a refusal, answered with the passkey check's own code (400).
        _refuse_go_live(stream, operator, [Refusal(code=failed.code, en=str(failed.detail), zh=str(failed.detail))])
        raise
    try:
        grant = gate_use(
            subject=stream.avatar,
            brand=stream.organisation,
            purpose=PURPOSE,
            platform=stream.platform,
            modalities=stream.avatar.modalities,
            use="stream_go_live",
        )
    except ConsentRefused:
        raise _refuse_go_live(stream, operator, [refusal("no_consent_for_you")]) from None
    with transaction.atomic():
        locked = Stream.objects.select_for_update().get(pk=stream.pk)
        if locked.state != State.SCHEDULED:
            code = "stream_already_live" if locked.state in (State.LIVE, State.PAUSED) else "transition_not_allowed"
            raise DomainError(
                "This stream is live already."
                if code == "stream_already_live"
                else f"A stream that is {locked.state} cannot go live.",
                code=code,
                status_code=409,
            )
        signature.consume()
        live = transition_stream(
            stream=locked,
            to=State.LIVE,
            actor=operator,
            reason="the operator went live after a passkey re-verification",
            extra={"consent_grant": grant, "runner_status": Stream.RunnerStatus.QUEUED},
        )
        record_event(
            kind="stream.operator_verified",
            subject=live.subject,
            payload={
                "stream": str(live.public_id),
                "operator": str(operator.public_id),
                "document_sha256": signature.document_sha256,
                "credential_id": signature.credential_id,
                "consent_grant_id": str(grant.public_id),
                "playlist": signed["playlist"],
            },
            actor=operator,
            organisation=live.organisation,
        )
        queue_live_runner(live)
    forget_document(key)
    return live


def queue_live_runner(stream: Stream) -> None:
    """Queue the stream's live runner after the caller's transaction commits. With the in-process worker (the
    embedded demo default, the tests) nothing is queued: a runner lasts as long as its stream and would hold the
    request that went live; there `streaming.runner.loop.run_live_stream` is called directly."""
    from django.conf import settings

    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return
    from streaming.tasks import run_live_stream_task

    stream_id = stream.pk
    transaction.on_commit(lambda: run_live_stream_task.delay(stream_id))
