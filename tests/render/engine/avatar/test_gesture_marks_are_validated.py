from __future__ import annotations

import pytest

from render.engine.avatar import GestureMark, GestureMarkError
from render.engine.avatar.gestures import validate_marks


def test_it_refuses_an_unknown_gesture_name() -> None:
    with pytest.raises(GestureMarkError, match="unknown gesture 'clap'"):
        validate_marks([GestureMark("clap", 0.0, 1.0)], 5.0)


def test_it_refuses_a_mark_outside_the_sample() -> None:
    with pytest.raises(GestureMarkError, match=r"outside the 5\.00 s sample"):
        validate_marks([GestureMark("greet", 4.0, 6.0)], 5.0)


def test_it_refuses_the_same_gesture_marked_twice() -> None:
    with pytest.raises(GestureMarkError, match="more than once: nod"):
        validate_marks([GestureMark("nod", 0.0, 1.0), GestureMark("nod", 2.0, 3.0)], 5.0)


def test_it_accepts_every_library_gesture_except_idle() -> None:
    names = ["greet", "point_up", "point_down", "show_price", "thank", "nod"]
    validate_marks([GestureMark(n, i * 0.5, i * 0.5 + 0.4) for i, n in enumerate(names)], 5.0)
    with pytest.raises(GestureMarkError):
        validate_marks([GestureMark("idle", 0.0, 1.0)], 5.0)
