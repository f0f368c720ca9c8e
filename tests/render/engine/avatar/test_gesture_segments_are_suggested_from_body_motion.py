from __future__ import annotations

import numpy as np

from render.engine.avatar.gestures import suggest_segments
from tests.render.engine.avatar.sample_avatar import WAVES, sample_assets


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return max(0.0, min(a[1], b[1]) - max(a[0], b[0]))


def test_it_suggests_the_waves_in_the_sample_and_nothing_during_talking() -> None:
    suggestions = sample_assets().suggestions
    spans = [(s.start_s, s.end_s) for s in suggestions]
    for wave in WAVES:
        assert any(_overlap(wave, span) >= 0.6 * (wave[1] - wave[0]) for span in spans), (wave, spans)
    # Everything suggested lies on a wave (talking and zoom/pan alone are not gestures).
    for span in spans:
        assert any(_overlap(wave, span) > 0 for wave in WAVES), span


def test_it_ignores_short_blips_and_merges_close_bursts() -> None:
    energy = np.full(100, 1.0, np.float32)
    energy[10:12] = 9.0  # 80 ms: a blip
    energy[40:55] = 6.0
    energy[58:70] = 6.0  # a 120 ms gap: the same gesture
    found = suggest_segments(energy, 25.0)
    assert len(found) == 1
    assert 1.5 <= found[0].start_s <= 1.7
    assert 2.7 <= found[0].end_s <= 2.9
