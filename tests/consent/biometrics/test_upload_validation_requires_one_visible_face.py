from __future__ import annotations

import io

import numpy as np
import pytest

from consent.biometrics.errors import MediaRejected
from consent.biometrics.face import face_track_summary
from consent.biometrics.media import validate_face_presence
from tests.consent.biometrics import media_factory as mf
from tests.consent.biometrics.conftest import SIZE


def rejection(data: bytes) -> MediaRejected:
    with pytest.raises(MediaRejected) as caught:
        validate_face_presence(face_track_summary(io.BytesIO(data)))
    return caught.value


def test_a_statement_with_one_face_throughout_is_accepted(astronaut_statement_mp4: bytes) -> None:
    summary = validate_face_presence(face_track_summary(io.BytesIO(astronaut_statement_mp4)))
    assert summary.frames_sampled == 12
    assert summary.frames_with_one_face == 12
    assert len(summary.embeddings) == 12


def test_a_video_of_a_cat_is_refused_as_no_face() -> None:
    data = mf.video_bytes(mf.gentle_motion(mf.chelsea(), SIZE), count=20, fps=10)
    assert rejection(data).code == "no_face"


def test_a_video_of_noise_is_refused_as_no_face() -> None:
    rng = np.random.default_rng(5)
    frames = [rng.integers(0, 256, (SIZE[1], SIZE[0], 3), dtype=np.uint8) for _ in range(4)]
    assert rejection(mf.video_bytes(frames, count=20, fps=10)).code == "no_face"


def test_a_video_of_two_people_is_refused_as_multiple_faces() -> None:
    frame = mf.side_by_side(mf.astronaut(), mf.grace_hopper(), (1280, 720))
    error = rejection(mf.video_bytes([frame], count=20, fps=10, codec="vp8", container="webm"))
    assert error.code == "multiple_faces"


def test_a_face_seen_in_only_half_the_frames_is_refused_as_not_visible_enough() -> None:
    face, cat = mf.place(mf.astronaut(), SIZE), mf.place(mf.chelsea(), SIZE)
    # One second of face, one second of cat, twice: the person keeps leaving the picture.
    data = mf.video_bytes(lambda i: face if (i // 10) % 2 == 0 else cat, count=40, fps=10)
    error = rejection(data)
    assert error.code == "face_not_visible_enough"
    assert "6 of 12" in error.message
