from __future__ import annotations

import av
import numpy as np

from render.engine.label import MIN_HEIGHT_FRACTION, MIN_OPENING_SECONDS
from tests.render.engine.stream.rendered import rendered


def _decoded_frames() -> list[np.ndarray]:
    stream = rendered()
    with av.open(str(stream.directory / "index.m3u8")) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def _plate_is_there(frame: np.ndarray, box: list[int]) -> bool:
    x, y, w, h = box
    region = frame[y : y + h, x : x + w]
    dark = region.max(axis=2) < 50  # the plate
    bright = region.min(axis=2) > 200  # the glyphs
    return bool(dark.mean() > 0.5 and bright.mean() > 0.03)


def test_every_frame_of_every_segment_carries_the_corner_label() -> None:
    stream = rendered()
    frames = _decoded_frames()
    per = stream.plan.frames_per_segment
    assert len(frames) == stream.plan.segment_count * per
    box = stream.results[0].record.label["box"]
    missing = [i for i, frame in enumerate(frames) if not _plate_is_there(frame, box)]
    assert missing == []


def test_the_full_opening_notice_stays_for_at_least_two_seconds_then_goes() -> None:
    stream = rendered()
    frames = _decoded_frames()
    fps = stream.plan.config.fps
    box = stream.results[0].record.label["opening_box"]
    shown = [i for i, frame in enumerate(frames) if _plate_is_there(frame, box)]
    assert shown == list(range(len(shown)))  # from the first frame, without a gap
    assert len(shown) / fps >= MIN_OPENING_SECONDS
    assert len(shown) < len(frames)  # and then it gives the picture back
    assert [r.record.label["opening_notice"] for r in stream.results[:3]] == [True, True, False]


def test_the_label_recorded_for_each_segment_meets_the_minimum_size_and_contrast() -> None:
    for result in rendered().results:
        label = result.record.label
        assert label["text"] == "AI生成"
        assert label["english"] == "AI-generated"
        assert label["text_height_fraction"] >= MIN_HEIGHT_FRACTION
        assert label["contrast_ratio"] >= 4.5
        assert label["frame"] == [1280, 720]
