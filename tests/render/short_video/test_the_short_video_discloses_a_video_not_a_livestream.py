"""A short video's spoken disclosure and its visible opening notice name a video ("本视频由人工智能生成" / "This video
is AI-generated"), while a live stream's keep naming the livestream; an unknown medium is refused."""

from __future__ import annotations

import pytest

from render.engine.speech import stream_opening
from render.engine.stream import StreamConfig, StreamConfigError


def test_the_notices_name_the_medium() -> None:
    video = stream_opening("zh+en", medium="video")
    live = stream_opening("zh+en")
    assert "本视频由人工智能生成" in video.text
    assert "This video is AI-generated." in video.text
    assert "本直播由人工智能生成" in live.text
    assert video.pcm.shape != live.pcm.shape or (video.pcm != live.pcm).any()
    spec = StreamConfig(width=720, height=1280, fps=30, medium="video").label_spec()
    assert (spec.opening_text, spec.opening_english) == ("本视频由人工智能生成", "This video is AI-generated")
    assert StreamConfig().label_spec().opening_english == "This livestream is AI-generated"
    with pytest.raises(StreamConfigError) as refused:
        StreamConfig(medium="podcast")
    assert refused.value.code == "unknown_medium"
