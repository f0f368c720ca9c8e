"""Hysteresis (interaction/tone.py, a fake clock): a tone is held for the dwell time however the room moves, and a
rate between the exit and the enter threshold keeps the tone there is; the same holds for the strategy tier."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from interaction.tone import CALM, CROWD, NEUTRAL, NORMAL, UPBEAT, Held, Room, Tiers, ToneSettings, next_tier, next_tone

CFG = ToneSettings(
    window_s=60,
    dwell_s=90,
    calm_enter_abuse_per_min=3,
    calm_exit_abuse_per_min=1,
    upbeat_enter_orders_per_min=10,
    upbeat_exit_orders_per_min=4,
)
T0 = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_a_tone_is_held_for_the_dwell_time_then_follows_the_room() -> None:
    abusive, quiet, selling = Room(5, 0, 100), Room(0, 0, 100), Room(0, 12, 100)
    held = Held(NEUTRAL, at(-1000))
    held = next_tone(held, abusive, at(0), CFG)
    assert held == Held(CALM, at(0))
    # Quiet for the next 89 s: still calm (the minimum dwell), sales or not.
    for second in (10, 45, 89):
        assert next_tone(held, quiet, at(second), CFG) == held
        assert next_tone(held, selling, at(second), CFG) == held
    assert next_tone(held, selling, at(90), CFG) == Held(UPBEAT, at(90))
    assert next_tone(held, quiet, at(90), CFG) == Held(NEUTRAL, at(90))


def test_a_rate_between_the_thresholds_keeps_the_tone_there_is() -> None:
    hovering_abuse = Room(2, 0, 100)  # above calm's exit (1), below its enter (3)
    assert next_tone(Held(CALM, at(0)), hovering_abuse, at(600), CFG).state == CALM
    assert next_tone(Held(NEUTRAL, at(0)), hovering_abuse, at(600), CFG).state == NEUTRAL
    hovering_orders = Room(0, 6, 100)  # above upbeat's exit (4), below its enter (10)
    assert next_tone(Held(UPBEAT, at(0)), hovering_orders, at(600), CFG).state == UPBEAT
    assert next_tone(Held(NEUTRAL, at(0)), hovering_orders, at(600), CFG).state == NEUTRAL


def test_a_flickering_room_does_not_flip_the_host_every_minute() -> None:
    held = Held(NEUTRAL, at(-1000))
    changes = 0
    for minute in range(20):  # abuse on every other minute
        room = Room(6 if minute % 2 == 0 else 0, 0, 100)
        after = next_tone(held, room, at(minute * 60), CFG)
        changes += after.state != held.state
        held = after
    assert changes <= 7  # at most one change per 90 s dwell over 20 minutes, not 20


def test_the_tier_has_the_same_dwell_and_a_band_around_its_thresholds() -> None:
    tiers = Tiers(few_below=50, crowd_from=500)
    held = next_tier(Held(NORMAL, at(-1000)), 800, at(0), tiers, 90)
    assert held == Held(CROWD, at(0))
    assert next_tier(held, 10, at(60), tiers, 90) == held  # dwell
    assert next_tier(held, 450, at(600), tiers, 90) == held  # within 20 % of the threshold: still a crowd
    assert next_tier(held, 390, at(600), tiers, 90).state == NORMAL
    assert next_tier(held, None, at(600), tiers, 90) == held  # nothing reported: no change
