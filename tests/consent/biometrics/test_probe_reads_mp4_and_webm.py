from __future__ import annotations

import io

import av
import numpy as np

from consent.biometrics.media import probe_video
from tests.consent.biometrics import media_factory as mf
from tests.consent.biometrics.conftest import SIZE


def test_it_describes_an_h264_mp4(astronaut_statement_mp4: bytes) -> None:
    info = probe_video(io.BytesIO(astronaut_statement_mp4))
    assert info.container.startswith("mov,mp4")
    assert (info.codec, info.width, info.height, info.has_audio) == ("h264", 854, 480, False)
    assert abs(info.duration - 3.0) < 0.05
    assert abs(info.fps - 10.0) < 0.01
    assert info.frame_count == 30


def test_it_describes_a_vp8_webm_with_sound() -> None:
    pcm = (np.sin(np.arange(16000 * 2) * 2 * np.pi * 440 / 16000) * 8000).astype(np.int16)
    data = mf.video_bytes(
        mf.gentle_motion(mf.astronaut(), SIZE), count=20, fps=10, codec="vp8", container="webm", audio=(pcm, 16000)
    )
    info = probe_video(io.BytesIO(data))
    assert info.container == "matroska,webm"
    assert (info.codec, info.has_audio) == ("vp8", True)
    assert abs(info.duration - 2.0) < 0.05


def test_it_measures_a_mediarecorder_webm_that_has_no_duration_in_its_header() -> None:
    data = mf.mediarecorder_like_webm(mf.gentle_motion(mf.astronaut(), SIZE), count=40, fps=10)
    with av.open(io.BytesIO(data)) as container:
        assert container.duration is None  # the case browser-testing.md warns about
    info = probe_video(io.BytesIO(data))
    assert abs(info.duration - 4.0) < 0.05
    assert info.frame_count == 40


def test_it_accepts_a_file_path(tmp_path: object, astronaut_statement_mp4: bytes) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "statement.mp4"
    path.write_bytes(astronaut_statement_mp4)
    assert probe_video(str(path)).codec == "h264"
