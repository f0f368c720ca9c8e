"""An outside reader (ffmpeg decodes, tesseract reads Simplified Chinese + English) finds "AI生成" and "AI-generated"
in the label of the short video, at its start and at its end; the opening notice names a video, not a livestream."""

from __future__ import annotations

import pytest

from tests.render.engine.outside_tools import decoded_frames, ocr
from tests.render.short_video.helpers import rendered_short_video


@pytest.mark.slow
@pytest.mark.parametrize("where", [10, -10], ids=["start", "end"])
def test_tesseract_reads_the_label(where: int) -> None:
    rendered = rendered_short_video()
    frames = decoded_frames(rendered.path)
    assert frames.shape[1:] == (1280, 720, 3)
    frame = frames[where]
    x, y, w, h = rendered.label_box
    margin = round(0.02 * 720)
    text = ocr(frame[max(y - margin, 0) : y + h + margin, max(x - margin, 0) : x + w + margin])
    assert "AI生成" in text.replace(" ", ""), text
    assert "AI-generated" in text, text


@pytest.mark.slow
def test_the_opening_notice_says_this_video_is_ai_generated() -> None:
    rendered = rendered_short_video()
    frame = decoded_frames(rendered.path)[10]
    x, y, w, h = rendered.opening_box
    text = ocr(frame[y : y + h, x : x + w])
    assert "本视频由人工智能生成" in text.replace(" ", ""), text
    assert "This video is AI-generated" in " ".join(text.split()), text  # portrait wraps the English line
    assert "livestream" not in text
