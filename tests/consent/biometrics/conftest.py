"""Test media, made once per session from public-domain portraits (see media_factory.py). No database needed."""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
import pytest

from tests.consent.biometrics import media_factory as mf

SIZE = (854, 480)


@pytest.fixture(scope="session")
def astronaut_statement_mp4() -> bytes:
    """A 3 s H.264 MP4 statement at 854x480, 10 fps, with gentle motion."""
    return mf.video_bytes(mf.gentle_motion(mf.astronaut(), SIZE), count=30, fps=10)


@pytest.fixture(scope="session")
def astronaut_sample_webm() -> bytes:
    """A 30 s VP8 WebM training sample at 1 fps: another crop, zoom and brightness than the statement."""
    frames = [
        mf.place(mf.astronaut(), SIZE, scale=1.2, crop=(0.05, 0.0, 0.85, 0.8), brightness=1.25, dx=dx)
        for dx in (-20, -10, 0, 10, 20)
    ]
    return mf.video_bytes(frames, count=30, fps=1, codec="vp8", container="webm")


@pytest.fixture(scope="session")
def grace_hopper_statement_webm() -> bytes:
    return mf.video_bytes(mf.gentle_motion(mf.grace_hopper(), SIZE), count=30, fps=10, codec="vp8", container="webm")


@pytest.fixture(scope="session")
def make_video() -> Callable[..., io.BytesIO]:
    def make(frames: list[np.ndarray], **kwargs: object) -> io.BytesIO:
        return io.BytesIO(mf.video_bytes(frames, **kwargs))

    return make
