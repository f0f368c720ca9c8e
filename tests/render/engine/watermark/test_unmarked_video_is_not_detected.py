"""Unmarked video, and marked video read with another key, give "not found"; the synchronisation statistic stays
near its null maximum (about sqrt(2 ln hypotheses)) and the reported false-positive bound is at most 1e-6."""

from __future__ import annotations

import pytest

from render.engine.watermark import detect_clip
from tests.render.engine.synthetic import luma_frames
from tests.render.engine.watermark.media import FPS, KEY, attack, source_frames, write_clip

OTHER_KEY = bytes(range(100, 132))


def test_an_unmarked_face_clip_is_not_detected(tmp_path):
    clip = write_clip(source_frames()[0][:50], tmp_path / "plain.mp4", fps=FPS)
    result = detect_clip(clip, KEY)
    assert not result.found
    assert result.stream_code is None
    assert result.sequences == ()
    assert result.confidence < 6.0


@pytest.mark.parametrize("seed", [1, 2])
def test_unmarked_synthetic_video_is_not_detected(seed):
    result = detect_clip(luma_frames(40, seed=seed), KEY, fps=FPS)
    assert not result.found
    assert result.confidence < 6.0


def test_marked_video_under_another_key_is_not_detected(tmp_path):
    clip = write_clip(source_frames()[1][:50], tmp_path / "marked.mp4", fps=FPS)
    result = detect_clip(attack(clip, tmp_path / "a.mp4", "none"), OTHER_KEY)
    assert not result.found
    assert result.confidence < 6.0


def test_the_false_positive_bound_is_below_one_in_a_million():
    result = detect_clip(source_frames()[0][:30], KEY, fps=FPS)
    assert result.false_positive_rate <= 1e-6
