from __future__ import annotations

import numpy as np
import pytest

from render.engine.watermark import CODED_BITS, content_id_for, detect, embed, psnr
from tests.render.engine.synthetic import encode_luma, luma_frames

KEY = b"test-watermark-key-0123456789"


@pytest.fixture(scope="module")
def marked():
    frames = luma_frames(50)  # 2 s at 25 fps, 1280x720
    content_id = content_id_for("stream-under-test", 17)
    return frames, embed(frames, content_id, KEY), content_id


def test_the_id_round_trips_on_the_raw_frames(marked):
    _, wm, content_id = marked
    found, confidence, bit_errors = detect(wm, KEY)
    assert found == content_id
    assert bit_errors == 0
    assert confidence > 0.9


def test_the_watermark_is_invisible_by_psnr(marked):
    frames, wm, _ = marked
    assert min(psnr(a, b) for a, b in zip(frames, wm, strict=True)) > 42.0
    assert max(int(np.abs(a.astype(int) - b.astype(int)).max()) for a, b in zip(frames, wm, strict=True)) <= 6


@pytest.mark.parametrize(
    ("bitrate", "size"),
    [(2_500_000, None), (1_000_000, None), (1_000_000, (960, 540))],
    ids=["h264-2.5mbps", "h264-1mbps", "h264-1mbps-540p"],
)
def test_the_id_survives_h264_reencode_and_downscale(marked, tmp_path, bitrate, size):
    _, wm, content_id = marked
    path = tmp_path / "attacked.mp4"
    path.write_bytes(encode_luma(wm, bitrate=bitrate, size=size))
    found, confidence, bit_errors = detect(path, KEY)
    assert found == content_id
    assert bit_errors < CODED_BITS // 10
    assert confidence > 0.2


def test_the_id_is_decodable_from_a_single_second(marked, tmp_path):
    _, wm, content_id = marked
    path = tmp_path / "one-second.mp4"
    path.write_bytes(encode_luma(wm[:25], bitrate=1_000_000))
    assert detect(path, KEY)[0] == content_id
