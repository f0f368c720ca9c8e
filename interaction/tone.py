"""The live host's tone and strategy, decided from the room (docs/live-interaction.md, "Tone and strategy").

Pure decisions, no Django and no clock of their own (the caller passes `now`), so the hysteresis is tested with a
fake clock:

- tone: neutral, upbeat or calm. Abuse (suppressed comments per minute) moves the host to calm, sales momentum
  (orders per minute) to upbeat; calm wins when both hold, because a room that turns abusive is no moment to cheer.
  Each state has an enter and a lower exit threshold, and a state is held at least `dwell_s` seconds, so the host
  does not flip every minute when a rate hovers around a threshold.
- strategy tier: few viewers, normal or a crowd, from the viewer count, with the same dwell and a band of 20 %
  around each threshold. A tier changes the ORDER of the approved lines still to come in a script version (few
  viewers: greetings and FAQ lines first; a crowd: product, price and cart lines first), never which lines exist.

A tone maps to the voice's rate and pitch (multipliers of the stream's own, kept inside the engine's
VOICE_RATE_RANGE / VOICE_PITCH_RANGE) and to the gesture a line is performed with (`performed_intent`): calm turns the
big movements (greet, follow, thanks) into a nod, upbeat nods along on lines that would otherwise stand still. The
words are never changed, and a nod never contradicts a line (render.engine.avatar.choreography.NEUTRAL_INTENTS).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from render.engine.options import VOICE_PITCH_RANGE, VOICE_RATE_RANGE

NEUTRAL, UPBEAT, CALM = "neutral", "upbeat", "calm"
TONES: tuple[str, ...] = (NEUTRAL, UPBEAT, CALM)
FEW, NORMAL, CROWD = "few", "normal", "crowd"
TIERS: tuple[str, ...] = (FEW, NORMAL, CROWD)

# (rate, pitch) multipliers of the stream's own voice.
TONE_VOICE: dict[str, tuple[float, float]] = {NEUTRAL: (1.0, 1.0), UPBEAT: (1.08, 1.05), CALM: (0.9, 0.95)}
# Calm: no waving or pointing up at a room that is shouting; product and price gestures stay (they show the goods).
_CALM_GESTURES = {"greet": "agree", "follow": "agree", "thanks": "agree"}
# Upbeat: nod along where the line would stand still (never on the spoken AI disclosure).
_UPBEAT_GESTURES = {"idle": "agree"}
# Intents a tier brings forward, in this order; the other lines keep their order after them.
TIER_FIRST: dict[str, tuple[str, ...]] = {
    FEW: ("greet", "faq", "thanks", "follow"),
    NORMAL: (),
    CROWD: ("product", "price", "cart"),
}
TIER_BAND = 0.2  # a tier is left only when the count is 20 % past its threshold the other way


@dataclass(frozen=True)
class ToneSettings:
    window_s: int  # the rates are averaged over this many seconds
    dwell_s: int  # a tone or tier is held at least this long
    calm_enter_abuse_per_min: float
    calm_exit_abuse_per_min: float
    upbeat_enter_orders_per_min: float
    upbeat_exit_orders_per_min: float

    def __post_init__(self) -> None:
        if self.calm_exit_abuse_per_min >= self.calm_enter_abuse_per_min:
            raise ValueError("the calm exit threshold must be below its enter threshold")
        if self.upbeat_exit_orders_per_min >= self.upbeat_enter_orders_per_min:
            raise ValueError("the upbeat exit threshold must be below its enter threshold")
        if self.window_s <= 0 or self.dwell_s < 0:
            raise ValueError("the window must be positive and the dwell time not negative")


@dataclass(frozen=True)
class Tiers:
    few_below: int  # under this many viewers: few
    crowd_from: int  # this many or more: a crowd

    def __post_init__(self) -> None:
        if not 0 < self.few_below < self.crowd_from:
            raise ValueError("0 < few_below < crowd_from")


@dataclass(frozen=True)
class Room:
    abuse_per_min: float  # suppressed comments per minute over the window
    orders_per_min: float | None  # the platform's orders per minute (None: not reported)
    viewers: int | None  # latest viewer count (None: not reported)


@dataclass(frozen=True)
class Held:
    """A state and since when it is held."""

    state: str
    since: datetime


def wanted_tone(current: str, room: Room, cfg: ToneSettings) -> str:
    """The tone the room asks for now, with the enter/exit thresholds of `current` (no dwell)."""
    abuse, orders = room.abuse_per_min, room.orders_per_min or 0.0
    calm = abuse > cfg.calm_exit_abuse_per_min if current == CALM else abuse >= cfg.calm_enter_abuse_per_min
    if calm:
        return CALM
    if current == UPBEAT:
        return UPBEAT if orders > cfg.upbeat_exit_orders_per_min else NEUTRAL
    return UPBEAT if orders >= cfg.upbeat_enter_orders_per_min else NEUTRAL


def next_tone(held: Held, room: Room, now: datetime, cfg: ToneSettings) -> Held:
    """`held`, or the room's tone once `held` has lasted the dwell time."""
    wanted = wanted_tone(held.state, room, cfg)
    if wanted == held.state or (now - held.since).total_seconds() < cfg.dwell_s:
        return held
    return Held(wanted, now)


def wanted_tier(current: str, viewers: int | None, tiers: Tiers) -> str:
    if viewers is None:
        return current  # nothing reported: keep what there is
    crowd_exit = tiers.crowd_from * (1 - TIER_BAND)
    few_exit = tiers.few_below * (1 + TIER_BAND)
    if current == CROWD and viewers >= crowd_exit:
        return CROWD
    if current == FEW and viewers < few_exit:
        return FEW
    if viewers >= tiers.crowd_from:
        return CROWD
    if viewers < tiers.few_below:
        return FEW
    return NORMAL


def next_tier(held: Held, viewers: int | None, now: datetime, tiers: Tiers, dwell_s: int) -> Held:
    wanted = wanted_tier(held.state, viewers, tiers)
    if wanted == held.state or (now - held.since).total_seconds() < dwell_s:
        return held
    return Held(wanted, now)


def tone_voice(tone: str, rate: float, pitch: float) -> tuple[float, float]:
    """The speaking rate and pitch of a line in `tone`, from the stream's own, inside the engine's ranges."""
    rate_x, pitch_x = TONE_VOICE[tone]
    low, high = VOICE_RATE_RANGE
    new_rate = round(min(max(rate * rate_x, low), high), 4)
    low, high = VOICE_PITCH_RANGE
    new_pitch = round(min(max(pitch * pitch_x, low), high), 4)
    return new_rate, new_pitch


def performed_intent(tone: str, intent: str) -> str:
    """The gesture intent a line is performed with in `tone` (its words and its script intent are unchanged)."""
    if tone == CALM:
        return _CALM_GESTURES.get(intent, intent)
    if tone == UPBEAT:
        return _UPBEAT_GESTURES.get(intent, intent)
    return intent


def tiered_order(intents: Sequence[str], tier: str, *, keep_first: bool) -> list[int]:
    """Positions 0..n-1 reordered for `tier`: the tier's intents first (in TIER_FIRST's order), the rest after, each
    group in its original order. `keep_first`: position 0 (a version's spoken AI disclosure) stays first."""
    positions = list(range(len(intents)))
    head = positions[:1] if keep_first else []
    rest = positions[len(head) :]
    first = TIER_FIRST[tier]
    rank = {intent: i for i, intent in enumerate(first)}
    return head + sorted(rest, key=lambda p: rank.get(intents[p], len(first)))
