from __future__ import annotations

import numpy as np
import pytest

from render.engine.speech import resample, segment_windows, synthesize
from render.engine.speech.audio import frame_sample


@pytest.mark.parametrize(("fps", "frames", "per_frame"), [(25, 50, 1920), (30, 60, 1600)])
def test_every_two_second_window_has_exactly_its_frames_samples(fps: int, frames: int, per_frame: int) -> None:
    pcm = np.random.default_rng(1).uniform(-0.5, 0.5, 48_000 * 7 + 123).astype(np.float32)
    windows = segment_windows(pcm, fps=fps)
    assert len(windows) == 4  # 7.003 s → 4 segments of 2 s
    for index, window in enumerate(windows):
        assert window.frame_count == frames
        assert window.first_frame == index * frames
        assert len(window.pcm) == frames * per_frame == 96_000
        assert window.start_sample == index * 96_000
    # Nothing lost, nothing duplicated; the tail is zero padding.
    joined = np.concatenate([w.pcm for w in windows])
    np.testing.assert_array_equal(joined[: len(pcm)], pcm)
    assert not joined[len(pcm) :].any()


@pytest.mark.parametrize("fps", [25, 30])
def test_the_last_window_can_hold_only_its_frames(fps: int) -> None:
    pcm = np.ones(48_000 * 3, np.float32)
    windows = segment_windows(pcm, fps=fps, pad_last=False)
    assert [w.frame_count for w in windows] == [2 * fps, fps]
    assert len(windows[-1].pcm) == 48_000


def test_speech_resampled_to_48k_splits_cleanly() -> None:
    speech = synthesize("欢迎来到我们的直播间，现在下单立减五十元！", language="zh")
    pcm = resample(speech.pcm, speech.sample_rate)
    windows = segment_windows(pcm, fps=30)
    assert sum(w.frame_count for w in windows) >= speech.duration_s * 30
    assert {len(w.pcm) for w in windows} == {96_000}


def test_frame_boundaries_never_drift_at_awkward_rates() -> None:
    # 44.1 kHz at 30 fps is 1470 samples a frame; at 25 fps 1764: still exact. 22.05 kHz at 30 fps is 735.
    assert frame_sample(90_000, fps=30, sample_rate=44_100) == 90_000 * 1470
    windows = segment_windows(np.zeros(44_100 * 4, np.float32), fps=30, sample_rate=44_100)
    assert [len(w.pcm) for w in windows] == [88_200, 88_200]


def test_it_refuses_a_window_that_is_not_whole_frames() -> None:
    with pytest.raises(ValueError, match="whole number of frames"):
        segment_windows(np.zeros(100, np.float32), fps=30, segment_s=0.05)
