"""A watermark key of the wrong length is refused with an error that names the problem: by the embedder, by the
detector and by `load_key` for a key file."""

from __future__ import annotations

import numpy as np
import pytest

from render.engine.watermark import LumaWatermarker, WatermarkError, detect_clip, load_key


@pytest.mark.parametrize("key", [b"", b"short-key", bytes(31), bytes(33), bytes(64)])
def test_the_embedder_refuses_a_key_that_is_not_32_bytes(key):
    with pytest.raises(WatermarkError, match=f"key is {len(key)} bytes long; it must be exactly 32 bytes"):
        LumaWatermarker(key)


def test_the_detector_refuses_a_short_key():
    with pytest.raises(WatermarkError, match="key is 9 bytes long"):
        detect_clip([np.zeros((72, 128), np.uint8)], b"short-key")


def test_a_key_file_with_too_few_hex_digits_is_refused(tmp_path):
    path = tmp_path / "watermark.key"
    path.write_text("ab" * 20 + "\n")
    with pytest.raises(WatermarkError, match="holds 40 hex digits; it must hold exactly 64"):
        load_key(path)


def test_a_key_file_that_is_not_hex_is_refused(tmp_path):
    path = tmp_path / "watermark.key"
    path.write_text("not a key at all\n")
    with pytest.raises(WatermarkError, match="does not hold hex digits"):
        load_key(path)


def test_a_key_file_of_64_hex_digits_loads(tmp_path):
    path = tmp_path / "watermark.key"
    path.write_text(bytes(range(32)).hex() + "\n")
    assert load_key(path) == bytes(range(32))
