from __future__ import annotations

import io

import pytest

from consent.biometrics.errors import MediaRejected
from consent.biometrics.media import probe_video, validate_statement
from tests.consent.biometrics import media_factory as mf


def test_a_320x240_video_is_refused() -> None:
    data = mf.video_bytes(mf.gentle_motion(mf.astronaut(), (320, 240)), count=30, fps=10)
    with pytest.raises(MediaRejected) as caught:
        validate_statement(probe_video(io.BytesIO(data)))
    assert caught.value.code == "resolution_too_low"
    assert "320x240" in caught.value.message


@pytest.mark.parametrize("size", [(640, 480), (480, 854)], ids=["webcam-vga", "portrait-phone"])
def test_a_video_whose_shorter_side_is_480_is_accepted(size: tuple[int, int]) -> None:
    data = mf.video_bytes(mf.gentle_motion(mf.astronaut(), size, scale=0.5), count=30, fps=10)
    assert validate_statement(probe_video(io.BytesIO(data))).width == size[0]
