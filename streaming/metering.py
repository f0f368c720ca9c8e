"""Licence metering: the live use of an influencer's consent grant, per grant, brand and local day.

The consent's scope may set `limits.hours_per_day`; it is an allowance per brand (every stream of the brand on that
grant draws from it), counted on the stream's local calendar day (`Stream.time_zone`, Asia/Shanghai by default):
the grant itself names no time zone, and the brand's streams are scheduled in their own zone.

The live runner calls the two functions of streaming.live.control.LiveControl implemented here once per segment:
`record_live_usage` (idempotent per (stream, sequence): a worker that takes a stream over and publishes a segment
again does not count it twice) and `live_seconds_left` (one indexed read of the day's running total). Scheduling asks
`licence_hours_conflict` whether overlapping streams would together use more licence hours than the day allows.
Usage is kept in milliseconds (integers add up exactly); pages and CSV show minutes.
"""

from __future__ import annotations

import math
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from common.api import DomainError
from streaming.models import LiveUsageDay, LiveUsageSegment, ScriptVersion, Stream

# A live segment is a few seconds long; anything longer than this is a caller's bug, not usage to bill.
MAX_SEGMENT_SECONDS = 60.0
# Streams that draw on the licence hours (a draft has not claimed any; an ended stream's hours are used or gone).
SCHEDULED_STATES = (Stream.State.SCHEDULED, Stream.State.LIVE, Stream.State.PAUSED)


def _bad(message: str, code: str) -> DomainError:
    return DomainError(message, code=code, status_code=400)


def hours_per_day(grant: Any) -> int | None:
    """The grant's daily allowance in hours, None when the influencer set no limit."""
    limits = (grant.scope or {}).get("limits") or {}
    value = limits.get("hours_per_day")
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else None


def local_day(moment: datetime, time_zone: str) -> date:
    """The calendar date of `moment` in `time_zone`: the licence day a use at that moment counts against."""
    if moment.tzinfo is None:
        raise _bad("A usage time needs a time zone.", "invalid_usage_time")
    return moment.astimezone(zoneinfo.ZoneInfo(time_zone)).date()


def day_bounds(day: date, time_zone: str) -> tuple[datetime, datetime]:
    """[start, end) of a local calendar day as aware datetimes (23 or 25 hours long on a DST change)."""
    zone = zoneinfo.ZoneInfo(time_zone)
    return datetime.combine(day, time.min, zone), datetime.combine(day + timedelta(days=1), time.min, zone)


def _stream(stream_id: int) -> Stream:
    stream = Stream.objects.select_related("consent_grant", "avatar__grant").filter(pk=stream_id).first()
    if stream is None:
        raise DomainError("No such stream.", code="stream_not_found", status_code=404)
    return stream


def _grant_of(stream: Stream) -> Any:
    """The grant the stream's use counts against: the one go-live checked, before that the avatar's."""
    return stream.consent_grant if stream.consent_grant_id else stream.avatar.grant


def live_seconds_left(stream_id: int, now: datetime) -> float | None:
    """Seconds of `hours_per_day` left to the stream's brand on the grant's local day at `now`, across all the
    brand's streams on that grant; None when the grant sets no daily limit (or the stream has no grant)."""
    stream = _stream(stream_id)
    grant = _grant_of(stream)
    limit = hours_per_day(grant) if grant is not None else None
    if limit is None:
        return None
    used = (
        LiveUsageDay.objects.filter(
            grant_id=grant.pk, organisation_id=stream.organisation_id, day=local_day(now, stream.time_zone)
        )
        .values_list("milliseconds", flat=True)
        .first()
    ) or 0
    return max(0.0, limit * 3600.0 - used / 1000.0)


def record_live_usage(
    stream_id: int, *, seconds: float, sequence: int, script_version_id: int | None, now: datetime
) -> None:
    """Meter one published live segment against the stream's grant, brand and the local day of `now`. Recording
    the same (stream, sequence) again changes nothing (the first record stands)."""
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not math.isfinite(seconds):
        raise _bad("A segment's length must be a number of seconds.", "invalid_usage_seconds")
    if not 0 < seconds <= MAX_SEGMENT_SECONDS:
        raise _bad(f"A segment lasts more than 0 and at most {MAX_SEGMENT_SECONDS:g} seconds.", "invalid_usage_seconds")
    if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 0:
        raise _bad("A segment's sequence number is a whole number from 0.", "invalid_usage_sequence")
    stream = _stream(stream_id)
    grant = _grant_of(stream)
    if grant is None:
        raise DomainError("The stream has no consent grant to meter against.", code="no_grant", status_code=409)
    day = local_day(now, stream.time_zone)
    if (
        script_version_id is not None
        and not ScriptVersion.objects.filter(pk=script_version_id, script__organisation_id=stream.organisation_id)
        .only("pk")
        .exists()
    ):
        raise _bad("No such script version for this brand.", "invalid_usage_script")
    milliseconds = max(1, round(seconds * 1000))
    key = {"grant_id": grant.pk, "organisation_id": stream.organisation_id, "day": day}
    with transaction.atomic():
        _, created = LiveUsageSegment.objects.get_or_create(
            stream_id=stream.pk,
            sequence=sequence,
            defaults={**key, "milliseconds": milliseconds, "script_version_id": script_version_id, "recorded_at": now},
        )
        if not created:
            return
        increment = {"milliseconds": F("milliseconds") + milliseconds, "segments": F("segments") + 1}
        if LiveUsageDay.objects.filter(**key).update(**increment):
            return
        try:
            with transaction.atomic():
                LiveUsageDay.objects.create(**key, milliseconds=milliseconds, segments=1)
        except IntegrityError:  # another worker created the day's row first: add to it
            LiveUsageDay.objects.filter(**key).update(**increment)


# Scheduling -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LicenceConflict:
    """Overlapping streams that would together use more than the day's licence hours."""

    day: date
    scheduled_hours: float
    limit_hours: int
    other_titles: tuple[str, ...]


def _seconds_within(start: datetime, stop: datetime, bounds: tuple[datetime, datetime]) -> float:
    return max(0.0, (min(stop, bounds[1]) - max(start, bounds[0])).total_seconds())


def _days_touched(start: datetime, stop: datetime, time_zone: str) -> list[date]:
    first, last = local_day(start, time_zone), local_day(stop - timedelta(microseconds=1), time_zone)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def licence_hours_conflict(stream: Stream) -> LicenceConflict | None:
    """The first local day on which `stream` and the brand's other scheduled streams on the same grant that air on
    that day would together be scheduled for more than `hours_per_day`; None when they fit (or there is no limit).

    A single long stream (24/7) is not refused on its own: the runner pauses it when the day's allowance is used
    up. A second stream on a day whose allowance is already scheduled would only ever air paused, so the brand is
    told when it schedules it. (Streams overlapping in time on the same grant are refused before this check.)"""
    grant = _grant_of(stream)
    limit = hours_per_day(grant) if grant is not None else None
    if limit is None:
        return None
    days = _days_touched(stream.starts_at, stream.stops_at, stream.time_zone)
    window = (day_bounds(days[0], stream.time_zone)[0], day_bounds(days[-1], stream.time_zone)[1])
    others = list(
        Stream.objects.filter(
            Q(consent_grant=grant) | Q(consent_grant__isnull=True, avatar__grant=grant),
            organisation_id=stream.organisation_id,
            state__in=SCHEDULED_STATES,
            starts_at__lt=window[1],
            stops_at__gt=window[0],
        )
        .exclude(pk=stream.pk)
        .only("title", "starts_at", "stops_at")
        .order_by("starts_at", "pk")
    )
    candidates = sorted(
        {d for o in others for d in _days_touched(o.starts_at, o.stops_at, stream.time_zone)} & set(days)
    )
    for day in candidates:
        bounds = day_bounds(day, stream.time_zone)
        touching = [o for o in others if _seconds_within(o.starts_at, o.stops_at, bounds) > 0]
        total = _seconds_within(stream.starts_at, stream.stops_at, bounds) + sum(
            _seconds_within(o.starts_at, o.stops_at, bounds) for o in touching
        )
        if touching and total > limit * 3600:
            return LicenceConflict(
                day=day,
                scheduled_hours=round(total / 3600, 2),
                limit_hours=limit,
                other_titles=tuple(o.title for o in touching),
            )
    return None
