"""The existing detector finds the invisible watermark in the downloaded MP4: the video's stream code, and the 2 s
spans in order, with a negligible false-positive rate; a wrong key finds nothing."""

from __future__ import annotations

import pytest

from render.engine.watermark import detect_clip, stream_code_for
from tests.render.short_video.helpers import KEY, VIDEO_ID, rendered_short_video


@pytest.mark.slow
def test_the_detector_names_the_short_video() -> None:
    rendered = rendered_short_video()
    found = detect_clip(rendered.path, KEY)
    assert found.found
    assert found.stream_code == stream_code_for(VIDEO_ID)
    assert f"{found.stream_code:x}" == rendered.video.watermark_id
    assert found.segment_range == (0, rendered.video.frame_count // 60 - 1)
    assert found.false_positive_rate <= 1e-6
    assert not detect_clip(rendered.path, bytes(32)).found
