"""Each liveness action is recognised from face-mesh landmarks on portraits warped to perform it, in its own window;
the same performance against another order of actions fails, and naming the first action missed."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from consent.biometrics import liveness, synthetic
from consent.biometrics.errors import MediaRejected
from consent.biometrics.liveness import ChallengeAction
from tests.consent.biometrics import media_factory as mf

FPS = 10


def performed(portrait: np.ndarray, actions: list[ChallengeAction], seconds: float) -> list[liveness.FrameSignals]:
    still = synthetic.place_on_canvas(portrait, (640, 480))
    lm = synthetic.landmarks_of(still)
    analyser = liveness.LivenessAnalyser()
    try:
        for i in range(round(seconds * FPS)):
            analyser.add(i / FPS, synthetic.perform(still, actions, i / FPS, lm=lm))
    finally:
        analyser.close()
    return analyser.signals


def windows(*names: str) -> list[ChallengeAction]:
    return [ChallengeAction(name, 1.0 + 3.0 * i, 3.5 + 3.0 * i) for i, name in enumerate(names)]


@pytest.mark.parametrize("portrait", [mf.astronaut, mf.grace_hopper], ids=["astronaut", "grace-hopper"])
def test_every_action_is_seen_in_its_window(portrait: object) -> None:
    actions = windows(*liveness.ACTIONS)

    result = liveness.verify_actions(performed(portrait(), actions, 13.0), actions)  # type: ignore[operator]

    assert result.passed, result.as_dict()
    for action in result.actions:
        assert action.seen_at is not None
        assert action.start - 0.1 <= action.seen_at <= action.end


def test_the_same_performance_fails_another_order_and_names_the_missed_action() -> None:
    done = windows("turn_left", "open_mouth", "turn_right")
    asked = windows("turn_right", "open_mouth", "turn_left")

    result = liveness.verify_actions(performed(mf.astronaut(), done, 10.0), asked)

    assert not result.passed
    with pytest.raises(MediaRejected) as refused:
        liveness.require_actions(result)
    assert refused.value.code == "action_not_seen"
    assert "turn your head to your right" in refused.value.message


def test_a_still_face_shows_no_action() -> None:
    actions = windows("turn_left", "blink", "open_mouth")

    result = liveness.verify_actions(performed(mf.astronaut(), [], 10.0), actions)

    assert [a.seen_at for a in result.actions] == [None, None, None]


def test_challenges_are_random_with_at_least_three_actions_in_consecutive_windows() -> None:
    drawn = [liveness.generate_actions(3) for _ in range(40)]

    assert len({tuple(a.action for a in actions) for actions in drawn}) > 5
    for actions in drawn:
        assert len(actions) == 3
        assert all(a.action != b.action for a, b in itertools.pairwise(actions))
        assert all(a.end <= b.start for a, b in itertools.pairwise(actions))
    with pytest.raises(ValueError, match="at least 3"):
        liveness.generate_actions(2)
