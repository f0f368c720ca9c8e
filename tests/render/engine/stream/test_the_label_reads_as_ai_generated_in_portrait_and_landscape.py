"""An outside reader (tesseract, Simplified Chinese + English) finds "AI生成" and "AI-generated" in the label of a
published frame (decoded by ffmpeg), in a landscape and in a portrait stream, past the opening notice."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.render.engine.outside_tools import concatenated, decoded_frames, ocr
from tests.render.engine.stream.rendered import RenderedStream, rendered, rendered_portrait


@pytest.mark.parametrize("which", [rendered, rendered_portrait], ids=["landscape", "portrait"])
def test_tesseract_reads_the_label(which: object, tmp_path: Path) -> None:
    stream: RenderedStream = which()  # type: ignore[operator]
    last = stream.results[-1]
    path = concatenated(stream.directory, [last.uri], tmp_path / "last.mp4")
    frame = decoded_frames(path)[10]
    x, y, w, h = last.record.label["box"]
    height, width = frame.shape[:2]
    margin = round(0.02 * min(width, height))
    # The label's corner of the picture (the plate and a margin of picture around it), as a viewer's eye finds it.
    region = frame[max(y - margin, 0) : y + h + margin, max(x - margin, 0) : x + w + margin]
    text = ocr(region)
    assert "AI生成" in text.replace(" ", ""), text
    assert "AI-generated" in text, text
