"""The stream id is the same in every frame, so a window of three segments decodes it with more confidence than a
window of one, and the segment channel names every segment in the window."""

from __future__ import annotations

from render.engine.watermark import detect_clip, stream_code_for
from tests.render.engine.watermark.media import FPS, KEY, STREAM_ID, attack, source_clip, source_frames


def test_three_segments_give_more_confidence_than_one(tmp_path):
    # 500 kbps is the weakest single attack; the whole 6 s excerpt against its first 2 s.
    whole = attack(source_clip(), tmp_path / "whole.mp4", "500kbps", start=0.0, seconds=6.0)
    first = attack(source_clip(), tmp_path / "first.mp4", "500kbps", start=0.0, seconds=2.0)
    long_window = detect_clip(whole, KEY)
    short_window = detect_clip(first, KEY)
    assert long_window.found
    assert long_window.stream_code == stream_code_for(STREAM_ID)
    assert long_window.confidence > short_window.confidence + 2
    assert long_window.payload_agreement > short_window.payload_agreement
    assert long_window.false_positive_rate <= short_window.false_positive_rate


def test_a_three_segment_window_reports_the_segment_range():
    result = detect_clip(source_frames()[1], KEY, fps=FPS)
    assert result.found
    assert result.stream_id_hex == f"{stream_code_for(STREAM_ID):010x}"
    assert result.sequences == (0, 1, 2)
    assert result.segment_range == (0, 2)


def test_a_window_inside_one_segment_names_that_segment():
    result = detect_clip(source_frames()[1][55:100], KEY, fps=FPS)
    assert result.found
    assert result.sequences == (1,)
