from __future__ import annotations

import pytest

from render.engine.watermark import WatermarkError, content_id_for, detect, embed
from tests.render.engine.synthetic import encode_luma, luma_frames

KEY = b"test-watermark-key-0123456789"


def test_a_wrong_key_finds_no_id(tmp_path):
    frames = luma_frames(50)
    path = tmp_path / "marked.mp4"
    path.write_bytes(encode_luma(embed(frames, content_id_for("s", 1), KEY), bitrate=2_500_000))
    found, confidence, _ = detect(path, b"another-key-entirely-0000")
    assert found is None
    assert confidence < 0.2


def test_unwatermarked_video_finds_no_id(tmp_path):
    path = tmp_path / "plain.mp4"
    path.write_bytes(encode_luma(luma_frames(50, seed=3), bitrate=2_500_000))
    found, confidence, _ = detect(path, KEY)
    assert found is None
    assert confidence < 0.2


def test_content_ids_must_fit_64_bits_and_sequences_24_bits():
    with pytest.raises(WatermarkError):
        embed(luma_frames(1), 1 << 64, KEY)
    with pytest.raises(WatermarkError):
        content_id_for("s", 1 << 24)
    assert content_id_for("s", 5) & 0xFFFFFF == 5
    assert content_id_for("s", 5) >> 24 == content_id_for("s", 6) >> 24
