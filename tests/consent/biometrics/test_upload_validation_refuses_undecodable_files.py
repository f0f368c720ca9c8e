"""Corrupt, truncated and non-video uploads are refused as `undecodable` or `unsupported_codec`."""

from __future__ import annotations

import io

import av
import numpy as np
import pytest
from PIL import Image

from consent.biometrics.errors import MediaRejected
from consent.biometrics.media import probe_video, validate_statement
from tests.consent.biometrics import media_factory as mf
from tests.consent.biometrics.conftest import SIZE


def rejection(data: bytes) -> MediaRejected:
    with pytest.raises(MediaRejected) as caught:
        validate_statement(probe_video(io.BytesIO(data)))
    return caught.value


@pytest.mark.parametrize(
    "data",
    [b"", b"hello, I am not a video", np.random.default_rng(7).bytes(100_000)],
    ids=["empty", "text", "noise"],
)
def test_it_refuses_files_that_are_not_videos(data: bytes) -> None:
    assert rejection(data).code == "undecodable"


@pytest.mark.parametrize("kept", [0.3, 0.6, 0.9])
def test_it_refuses_a_truncated_mp4(astronaut_statement_mp4: bytes, kept: float) -> None:
    data = astronaut_statement_mp4
    assert rejection(data[: int(len(data) * kept)]).code == "undecodable"


@pytest.mark.parametrize("kept", [0.3, 0.6])
def test_it_refuses_a_truncated_webm(grace_hopper_statement_webm: bytes, kept: float) -> None:
    data = grace_hopper_statement_webm
    error = rejection(data[: int(len(data) * kept)])
    assert error.code == "undecodable"
    assert "truncated" in error.message


def test_it_refuses_a_webm_whose_body_is_corrupt(grace_hopper_statement_webm: bytes) -> None:
    data = bytearray(grace_hopper_statement_webm)
    data[400:] = np.random.default_rng(3).bytes(len(data) - 400)
    assert rejection(bytes(data)).code == "undecodable"


def test_it_refuses_a_still_image_as_an_unsupported_codec() -> None:
    buffer = io.BytesIO()
    Image.fromarray(mf.place(mf.astronaut(), SIZE)).save(buffer, "PNG")
    assert rejection(buffer.getvalue()).code == "unsupported_codec"


def test_it_refuses_an_old_mpeg4_part2_video_as_an_unsupported_codec() -> None:
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="mp4") as output:
        stream = output.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = SIZE[0], SIZE[1], "yuv420p"
        for frame in mf.gentle_motion(mf.astronaut(), SIZE) * 4:
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                output.mux(packet)
        for packet in stream.encode():
            output.mux(packet)
    error = rejection(buffer.getvalue())
    assert error.code == "unsupported_codec"
    assert "mpeg4" in error.message
