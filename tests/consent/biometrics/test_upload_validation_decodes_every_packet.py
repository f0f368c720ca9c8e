"""Every packet is decoded: bit flips that H.264 would silently conceal, bytes appended after the container and
damaged WebM are refused as `undecodable`; clean MP4 and MediaRecorder-like WebM pass."""

from __future__ import annotations

import io

import numpy as np
import pytest

from consent.biometrics.errors import MediaRejected
from consent.biometrics.media import decode_fully
from tests.consent.biometrics import media_factory as mf
from tests.consent.biometrics.conftest import SIZE


@pytest.fixture(scope="module")
def mp4_with_sound() -> bytes:
    return mf.video_bytes(mf.gentle_motion(mf.astronaut(), SIZE), count=30, fps=10, audio=mf.espeak("one two three"))


def flipped(data: bytes, *, flips: int, seed: int) -> bytes:
    """`flips` single-bit errors in the second half of the file (the coded pictures, not the header)."""
    out = bytearray(data)
    rng = np.random.default_rng(seed)
    for at in rng.integers(len(data) // 2, len(data), size=flips):
        out[at] ^= 1 << int(rng.integers(8))
    return bytes(out)


def test_clean_videos_decode_fully(mp4_with_sound: bytes) -> None:
    webm = mf.mediarecorder_like_webm(mf.gentle_motion(mf.astronaut(), SIZE), count=20)

    assert decode_fully(io.BytesIO(mp4_with_sound)) == 30
    assert decode_fully(io.BytesIO(webm)) == 20


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_bit_flipped_mp4_is_refused(mp4_with_sound: bytes, seed: int) -> None:
    with pytest.raises(MediaRejected) as refused:
        decode_fully(io.BytesIO(flipped(mp4_with_sound, flips=40, seed=seed)))

    assert refused.value.code == "undecodable"


@pytest.mark.parametrize("tail", [b"\0" * 4096, b"PK\x03\x04 hidden archive" * 100], ids=["zeros", "archive"])
def test_bytes_after_the_container_are_refused(
    mp4_with_sound: bytes, grace_hopper_statement_webm: bytes, tail: bytes
) -> None:
    for data in (mp4_with_sound, grace_hopper_statement_webm):
        with pytest.raises(MediaRejected) as refused:
            decode_fully(io.BytesIO(data + tail))
        assert refused.value.code == "undecodable"


def test_bytes_after_a_mediarecorder_webm_are_refused() -> None:
    webm = mf.mediarecorder_like_webm(mf.gentle_motion(mf.grace_hopper(), SIZE), count=20)

    with pytest.raises(MediaRejected) as refused:
        decode_fully(io.BytesIO(webm + b"\x00garbage" * 500))

    assert refused.value.code == "undecodable"
