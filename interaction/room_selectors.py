"""Reads for the console's host panel (interaction/templates/interaction/host_state_panel.html): the host's tone and
strategy tier now, and the room's viewer and order curves over the last half hour."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from interaction.models import HostState, RoomSample
from streaming.models import Stream

CURVE_MINUTES = 30
MAX_POINTS = 360


def host_panel(stream: Stream, now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    state = HostState.objects.filter(stream=stream).first()
    since = now - timedelta(minutes=CURVE_MINUTES)
    samples = list(
        RoomSample.objects.filter(stream=stream, at__gt=since, at__lte=now)
        .order_by("-at")
        .values_list("at", "viewers", "orders_per_minute")[:MAX_POINTS]
    )[::-1]
    return {
        "tone": state.tone if state else HostState.Tone.NEUTRAL.value,
        "tone_label": str(HostState.Tone(state.tone if state else HostState.Tone.NEUTRAL).label),
        "tone_since": state.tone_since.isoformat() if state else None,
        "tier": state.tier if state else HostState.Tier.NORMAL.value,
        "tier_label": str(HostState.Tier(state.tier if state else HostState.Tier.NORMAL).label),
        "tier_since": state.tier_since.isoformat() if state else None,
        "abuse_per_minute": state.abuse_per_minute if state else 0.0,
        "from": since.isoformat(),
        "to": now.isoformat(),
        "viewers": [[at.isoformat(), v] for at, v, _o in samples if v is not None],
        "orders_per_minute": [[at.isoformat(), o] for at, _v, o in samples if o is not None],
    }
