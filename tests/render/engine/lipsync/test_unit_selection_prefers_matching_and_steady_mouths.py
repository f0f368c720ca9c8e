from __future__ import annotations

import numpy as np

from render.engine.avatar.assets import MouthBank
from render.engine.lipsync.unit_selection import select_units


def _bank(features: list[list[float]]) -> MouthBank:
    k = len(features)
    return MouthBank(
        crops=np.zeros((k, 4, 4, 3), np.uint8),
        lips=np.zeros((k, 40, 2), np.float32),
        features=np.array(features, np.float32),
        source_frames=np.arange(k, dtype=np.int32),
    )


def test_it_picks_the_entry_whose_shape_matches_each_frame() -> None:
    bank = _bank([[0.0, 1.0, 0.3], [0.15, 1.0, 0.45], [0.3, 0.9, 0.6]])
    targets = np.array([[0.0, 1.0, 0.3], [0.3, 0.9, 0.6], [0.15, 1.0, 0.45], [0.0, 1.0, 0.3]], np.float32)
    assert select_units(bank, targets, smoothness=0.0).tolist() == [0, 2, 1, 0]


def test_the_smoothness_cost_stops_flicker_between_near_equal_entries() -> None:
    # Two almost identical closed mouths; the target wobbles between them by less than landmark noise.
    bank = _bank([[0.0, 1.0, 0.30], [0.004, 1.0, 0.30], [0.3, 0.9, 0.6]])
    wobble = np.array([[0.0 if i % 2 else 0.004, 1.0, 0.3] for i in range(12)], np.float32)
    greedy = select_units(bank, wobble, smoothness=0.0)
    smooth = select_units(bank, wobble, smoothness=0.5)
    assert int((np.diff(greedy) != 0).sum()) == 11
    assert int((np.diff(smooth) != 0).sum()) <= 1
    assert set(smooth.tolist()) <= {0, 1}
