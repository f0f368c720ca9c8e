"""An outside reader (ffmpeg decodes, tesseract reads Simplified Chinese + English) finds "AI生成" and "AI-generated"
in the label of the short video, at its start (with the opening notice) and at its end."""

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
