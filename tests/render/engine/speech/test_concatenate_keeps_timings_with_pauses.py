from __future__ import annotations

import pytest

from render.engine.speech import concatenate, synthesize


def test_it_joins_parts_with_pauses_and_shifts_their_timings() -> None:
    first = synthesize("欢迎来到直播间", language="zh")
    second = synthesize("Welcome!", language="en")
    joined = concatenate([first, second], pause_s=0.5, sample_rate=48_000)
    assert joined.sample_rate == 48_000
    assert joined.language == "mixed"
    expected = first.duration_s + 0.5 + second.duration_s
    assert joined.duration_s == pytest.approx(expected, abs=2 / 48_000)
    assert joined.phonemes[0].start_s == 0.0
    assert joined.phonemes[-1].end_s == pytest.approx(joined.duration_s)
    # The second part's first spoken phoneme moves by the first part's length plus the pause.
    second_first = next(u for u in second.phonemes if u.symbol != "sil")
    moved = next(u for u in joined.phonemes if u.start_s >= first.duration_s and u.symbol != "sil")
    assert moved.symbol == second_first.symbol
    assert moved.start_s == pytest.approx(first.duration_s + 0.5 + second_first.start_s, abs=1e-4)
    # Silence at the seam is one unit, not three.
    seam = [u for u in joined.phonemes if u.start_s <= first.duration_s + 0.25 <= u.end_s]
    assert [u.symbol for u in seam] == ["sil"]


def test_it_refuses_nothing_and_negative_pauses() -> None:
    speech = synthesize("hi", language="en")
    with pytest.raises(ValueError, match="nothing"):
        concatenate([])
    with pytest.raises(ValueError, match="negative"):
        concatenate([speech, speech], pause_s=-1)
