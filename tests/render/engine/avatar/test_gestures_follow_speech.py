from __future__ import annotations

import itertools

import numpy as np

from render.engine.avatar.choreography import PlannedFrame, ScriptLine, body_frames, plan_gestures
from tests.render.engine.avatar.sample_avatar import FPS, sample_assets


def _clips(plan: list[PlannedFrame]) -> list[str]:
    return [p.b if p.mix >= 0.5 else p.a for p in plan]


def test_it_plays_the_gesture_of_each_line_and_returns_to_idle() -> None:
    assets = sample_assets()
    lines = [
        ScriptLine("l1", "Hello everyone, welcome!", "greet", 0.4, 1.6),
        ScriptLine("l2", "Thank you so much for the gifts", "thanks", 2.4, 3.6),
    ]
    plan = plan_gestures(lines, assets, FPS, 100)
    shown = _clips(plan)
    greet = len(assets.clips["greet"])
    assert shown[:10] == ["idle"] * 10
    assert shown[10 + 3 : 10 + greet - 3] == ["greet"] * (greet - 6)
    assert shown[60 + 3] == "thank"
    assert shown[-1] == "idle"
    # Gesture frames play in order from the clip's start.
    greet_frames = [p.a_index for p in plan if p.a == "greet"]
    assert greet_frames == sorted(greet_frames)
    assert greet_frames[0] > 0


def test_it_cross_fades_into_and_out_of_a_gesture() -> None:
    assets = sample_assets()
    plan = plan_gestures([ScriptLine("l1", "Welcome!", "greet", 0.4, 1.6)], assets, FPS, 60)
    fade_in = plan[10:16]
    assert all(p.b == "greet" for p in fade_in)
    mixes = [p.mix for p in fade_in]
    assert mixes == sorted(mixes)
    assert 0 < mixes[0] < 0.5 < mixes[-1] < 1
    assert plan[16] == PlannedFrame("greet", 6)
    fade_out = [p for p in plan if p.b == "greet"][-6:]
    assert [p.mix for p in fade_out] == sorted((p.mix for p in fade_out), reverse=True)
    frames = list(body_frames(plan[9:12], assets))
    # A cross-faded frame lies between its two sources, so no frame jumps.
    assert np.abs(frames[1].image.astype(int) - frames[0].image.astype(int)).mean() < 12


def test_it_falls_back_to_idle_when_the_avatar_lacks_the_gesture() -> None:
    assets = sample_assets()
    assert "point_up" not in assets.clips
    plan = plan_gestures([ScriptLine("l1", "Tap follow!", "follow", 0.0, 2.0)], assets, FPS, 50)
    assert set(_clips(plan)) == {"idle"}


def test_the_idle_loop_has_no_jump_at_its_seam() -> None:
    assets = sample_assets()
    n = 3 * len(assets.idle)
    frames = [f.image.astype(np.int16) for f in body_frames(plan_gestures([], assets, FPS, n), assets)]
    steps = [float(np.abs(b - a).mean()) for a, b in itertools.pairwise(frames)]
    assert max(steps) < 3 * float(np.median(steps)) + 1.0
