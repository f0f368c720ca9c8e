"""The live host's tone and strategy tier, kept per stream: the runner asks `update_host_state` once per line.

The room is read from what the interaction app already stores (suppressed comments, the platform's viewer and order
samples); interaction/tone.py decides; a change is saved and ledgered (`stream.tone_changed`,
`stream.strategy_tier_changed`) in one transaction. The row's `*_since` times carry the dwell across workers: a worker
taking a stream over continues with the same tone and the same time left to hold it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Avg
from django.utils import timezone

from audit.services import record_event
from interaction import tone
from interaction.models import Comment, HostState, RoomSample
from streaming.models import Stream


@dataclass(frozen=True)
class HostMood:
    tone: str
    tier: str


def _setting(name: str, minimum: int) -> int:
    value = getattr(settings, name, None)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ImproperlyConfigured(f"{name} must be an integer >= {minimum}, not {value!r}.")
    return value


def tone_settings() -> tone.ToneSettings:
    """The typed tone settings (platform/config/settings/base.py); a contradiction fails loudly."""
    try:
        return tone.ToneSettings(
            window_s=_setting("TONE_WINDOW_SECONDS", 1),
            dwell_s=_setting("TONE_DWELL_SECONDS", 0),
            calm_enter_abuse_per_min=_setting("TONE_CALM_ENTER_ABUSE_PER_MINUTE", 1),
            calm_exit_abuse_per_min=_setting("TONE_CALM_EXIT_ABUSE_PER_MINUTE", 0),
            upbeat_enter_orders_per_min=_setting("TONE_UPBEAT_ENTER_ORDERS_PER_MINUTE", 1),
            upbeat_exit_orders_per_min=_setting("TONE_UPBEAT_EXIT_ORDERS_PER_MINUTE", 0),
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"TONE_* settings: {exc}") from exc


def stream_tiers_defaults() -> tuple[int, int]:
    """The platform's viewer thresholds (STRATEGY_FEW_VIEWERS_BELOW, STRATEGY_CROWD_FROM)."""
    return _setting("STRATEGY_FEW_VIEWERS_BELOW", 1), _setting("STRATEGY_CROWD_FROM", 2)


def stream_tiers(stream: Stream) -> tone.Tiers:
    """The stream's own viewer thresholds, else the platform's. A stream that set only one of them was checked against
    the platform's other at set-up; should the platform's change so that they cross, the platform's pair is used (a
    live stream does not fail over a threshold), and a crossed platform pair fails loudly."""
    default_few, default_crowd = stream_tiers_defaults()
    try:
        platform = tone.Tiers(few_below=default_few, crowd_from=default_crowd)
    except ValueError as exc:
        raise ImproperlyConfigured(f"STRATEGY_FEW_VIEWERS_BELOW / STRATEGY_CROWD_FROM: {exc}") from exc
    try:
        return tone.Tiers(
            few_below=stream.few_viewers_below or default_few, crowd_from=stream.crowd_from or default_crowd
        )
    except ValueError:
        return platform


def room_now(stream: Stream, now: datetime, window_s: int) -> tone.Room:
    """Suppressed comments per minute and the mean reported orders per minute over the window; the last viewer count
    reported in it (None when nothing was reported)."""
    start = now - timedelta(seconds=window_s)
    suppressed = Comment.objects.filter(
        stream=stream, decision=Comment.Decision.SUPPRESSED, received_at__gt=start, received_at__lte=now
    ).count()
    samples = RoomSample.objects.filter(stream=stream, at__gt=start, at__lte=now)
    orders = samples.filter(orders_per_minute__isnull=False).aggregate(mean=Avg("orders_per_minute"))["mean"]
    viewers = samples.filter(viewers__isnull=False).order_by("-at").values_list("viewers", flat=True).first()
    return tone.Room(abuse_per_min=suppressed * 60.0 / window_s, orders_per_min=orders, viewers=viewers)


def update_host_state(stream: Stream, now: datetime | None = None) -> HostMood:
    """The host's tone and tier for the next line, after reading the room; changes saved and ledgered."""
    now = now or timezone.now()
    cfg = tone_settings()
    tiers = stream_tiers(stream)
    room = room_now(stream, now, cfg.window_s)
    with transaction.atomic():
        # A new stream may change at once: its first state counts as already held for the dwell time.
        fresh = now - timedelta(seconds=cfg.dwell_s)
        HostState.objects.get_or_create(stream=stream, defaults={"tone_since": fresh, "tier_since": fresh})
        row = HostState.objects.select_for_update().get(stream=stream)
        held_tone = tone.next_tone(tone.Held(row.tone, row.tone_since), room, now, cfg)
        held_tier = tone.next_tier(tone.Held(row.tier, row.tier_since), room.viewers, now, tiers, cfg.dwell_s)
        if held_tone.state != row.tone:
            record_event(
                kind="stream.tone_changed",
                subject=stream.subject,
                payload={
                    "stream": str(stream.public_id),
                    "from": row.tone,
                    "to": held_tone.state,
                    "abuse_per_minute": round(room.abuse_per_min, 3),
                    "orders_per_minute": None if room.orders_per_min is None else round(room.orders_per_min, 3),
                    "window_s": cfg.window_s,
                    "held_s": round((now - row.tone_since).total_seconds(), 1),
                },
                actor="system",
                organisation=stream.organisation,
            )
        if held_tier.state != row.tier:
            record_event(
                kind="stream.strategy_tier_changed",
                subject=stream.subject,
                payload={
                    "stream": str(stream.public_id),
                    "from": row.tier,
                    "to": held_tier.state,
                    "viewers": room.viewers,
                    "few_below": tiers.few_below,
                    "crowd_from": tiers.crowd_from,
                    "held_s": round((now - row.tier_since).total_seconds(), 1),
                },
                actor="system",
                organisation=stream.organisation,
            )
        row.tone, row.tone_since = held_tone.state, held_tone.since
        row.tier, row.tier_since = held_tier.state, held_tier.since
        row.abuse_per_minute = room.abuse_per_min
        row.orders_per_minute = room.orders_per_min
        row.viewers = room.viewers
        row.updated_at = now
        row.save()
    return HostMood(tone=row.tone, tier=row.tier)


def host_tone_now(stream: Stream) -> str | None:
    """The tone the host is in (as the last playlist line read it from the room), None before the first line."""
    tone_now = HostState.objects.filter(stream=stream).values_list("tone", flat=True).first()
    return None if tone_now is None else str(tone_now)
