from __future__ import annotations

import cv2
import numpy as np
import pytest
from skimage import data

from render.engine.avatar import NoUsableFace, build_avatar
from render.engine.avatar.sample import TalkingPortrait


def _still(image: np.ndarray, n: int = 30) -> list[np.ndarray]:
    return [image] * n


def test_it_refuses_a_video_with_no_face_and_says_how_many_frames_had_one() -> None:
    cat = cv2.resize(data.chelsea(), (640, 360))
    with pytest.raises(NoUsableFace) as info:
        build_avatar(_still(cat), 25.0)
    assert info.value.reason == "face_missing"
    assert "a face was found in 0 of 30 frames (0%)" in info.value.message


def test_it_refuses_a_face_too_small_to_animate() -> None:
    clip = TalkingPortrait(seconds=1.2, size=(1280, 720))
    small = [cv2.resize(clip[i], (320, 180), interpolation=cv2.INTER_AREA) for i in range(len(clip))]
    with pytest.raises(NoUsableFace) as info:
        build_avatar(small, 25.0)
    assert info.value.reason == "face_too_small"
    assert "px between the eyes" in info.value.message


def test_it_refuses_a_sample_whose_mouth_never_opens() -> None:
    clip = TalkingPortrait(seconds=1.2, closed=((0.0, 2.0),), gestures=())
    with pytest.raises(NoUsableFace) as info:
        build_avatar([clip[i] for i in range(len(clip))], 25.0)
    assert info.value.reason == "mouth_never_opens"


def test_it_refuses_a_sample_shorter_than_a_second() -> None:
    with pytest.raises(NoUsableFace) as info:
        build_avatar(_still(np.zeros((64, 64, 3), np.uint8), 10), 25.0)
    assert info.value.reason == "too_short"
