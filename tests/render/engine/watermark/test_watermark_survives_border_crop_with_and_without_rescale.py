"""The watermark survives a 10 % crop on every side, kept at its size or rescaled, and a sides-only crop rescaled.

Each attack re-encodes a 2 s excerpt starting at a random offset of a three-segment marked stream with the ffmpeg
CLI; the stream id must come back, with a false-positive bound of at most 1e-6 per query."""

from __future__ import annotations

import pytest

from render.engine.watermark import detect_clip, stream_code_for
from tests.render.engine.watermark.media import KEY, STREAM_ID, attacked_excerpt


@pytest.mark.parametrize("attack", ["crop10%", "crop10%+rescale", "crop-sides+rescale"])
def test_the_stream_id_survives(attack, tmp_path):
    result = detect_clip(attacked_excerpt(attack, tmp_path), KEY)
    assert result.found, result
    assert result.stream_code == stream_code_for(STREAM_ID)
    assert result.false_positive_rate <= 1e-6
