"""A sample that cannot make an avatar ends the build as `failed` with a stable code, a ledger event saying why,
and nothing stored in the vault for it."""

from __future__ import annotations

import io
import random
from typing import Any

import numpy as np
import pytest

from audit.models import LedgerEvent
from consent.models import VaultObject
from render.models import Avatar
from render.services import create_avatar
from render.tasks import build_avatar_task
from tests.render.helpers import grant_for, sample_video, store_sample


def _video_of(frames: list[np.ndarray], *, codec: str = "h264", fmt: str = "mp4") -> bytes:
    import av

    out = io.BytesIO()
    h, w = frames[0].shape[:2]
    with av.open(out, "w", format=fmt) as container:
        stream = container.add_stream(codec, rate=25)
        stream.width, stream.height = w, h
        stream.pix_fmt = "yuv420p"
        for image in frames:
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()


def _build(personas: dict[str, Any], data: bytes) -> Avatar:
    grant_for(personas)
    iris = personas["iris"].influencer
    store_sample(iris, data)
    avatar = create_avatar(
        influencer=iris,
        brand=personas["acme"],
        actor=personas["bob"],
        purpose="livestream_ecommerce",
        platform="douyin",
    )
    build_avatar_task(avatar.pk)
    avatar.refresh_from_db()
    assert avatar.status == Avatar.Status.FAILED
    assert avatar.assets is None
    assert not VaultObject.objects.filter(kind="avatar").exists()
    event = LedgerEvent.objects.get(subject=avatar.subject, kind="avatar.failed")
    assert event.payload_data["reason"] == avatar.error_code
    assert not LedgerEvent.objects.filter(subject=avatar.subject, kind="avatar.ready").exists()
    return avatar


def test_a_sample_without_a_face_fails_with_face_missing(personas: dict[str, Any]) -> None:
    import cv2
    from skimage import data

    cat = cv2.resize(data.chelsea(), (640, 360))
    avatar = _build(personas, _video_of([cat] * 30))
    assert avatar.error_code == "face_missing"
    assert "a face was found in 0 of 30 frames" in avatar.error_message


def test_a_corrupt_file_fails_with_corrupt_sample(personas: dict[str, Any]) -> None:
    # Fixed bytes, not os.urandom: FFmpeg's probe sometimes takes random bytes for an audio format, which is
    # refused too but as `no_video_stream`; a test must not depend on the draw.
    avatar = _build(personas, random.Random(1).randbytes(20_000))
    assert avatar.error_code == "corrupt_sample"


def test_a_truncated_video_fails_with_corrupt_sample(personas: dict[str, Any]) -> None:
    avatar = _build(personas, sample_video()[:3000])
    assert avatar.error_code in {"corrupt_sample", "too_short"}


@pytest.mark.slow
def test_an_unsupported_codec_fails_with_unsupported_codec(personas: dict[str, Any]) -> None:
    frames = [np.full((360, 640, 3), 128, np.uint8)] * 10
    avatar = _build(personas, _video_of(frames, codec="mpeg4", fmt="matroska"))
    assert avatar.error_code == "unsupported_codec"
    assert "mpeg4" in avatar.error_message
