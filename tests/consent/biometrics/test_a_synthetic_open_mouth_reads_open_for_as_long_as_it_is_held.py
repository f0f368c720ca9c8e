"""The synthetic statement's open mouth (the fake camera of the browser tests, the demo) reads as open to the face mesh
for the whole time it is held, not only while it opens and closes: a browser that drops frames under load must still
deliver enough of them for the liveness check (MIN_FRAMES_PER_ACTION)."""

from __future__ import annotations

import numpy as np
import pytest

from consent.biometrics import liveness, synthetic
from tests.consent.biometrics import media_factory as mf


def mouth_readings(portrait: np.ndarray, amounts: list[float]) -> list[float | None]:
    still = synthetic.place_on_canvas(portrait, (640, 480))
    lm = synthetic.landmarks_of(still)
    readings: list[float | None] = []
    for amount in amounts:
        # A fresh analyser per frame: each picture is read on its own, not tracked from the one before.
        analyser = liveness.LivenessAnalyser()
        try:
            analyser.add(0.0, synthetic._open_mouth(still, lm, amount))
        finally:
            analyser.close()
        readings.append(analyser.signals[0].mouth)
    return readings


@pytest.mark.parametrize("portrait", [mf.astronaut, mf.grace_hopper], ids=["astronaut", "grace-hopper"])
def test_the_mouth_reads_wide_open_from_half_way_to_fully_open(portrait: object) -> None:
    closed, *held = mouth_readings(portrait(), [0.0, 0.5, 0.75, 1.0])  # type: ignore[operator]

    assert closed is not None
    for amount, reading in zip([0.5, 0.75, 1.0], held, strict=True):
        assert reading is not None, f"no face found with the mouth {amount:.0%} open"
        wider = reading - closed
        assert wider > liveness.MOUTH_OPEN_DELTA, f"{amount:.0%} open reads {reading:.3f} (closed {closed:.3f})"
