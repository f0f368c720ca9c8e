from __future__ import annotations

import dataclasses
import io
from fractions import Fraction

import pytest

from consent.biometrics.errors import MediaRejected
from consent.biometrics.media import probe_video, validate_sample, validate_statement
from tests.consent.biometrics import media_factory as mf
from tests.consent.biometrics.conftest import SIZE


def test_a_30_second_sample_is_accepted(astronaut_sample_webm: bytes) -> None:
    info = validate_sample(probe_video(io.BytesIO(astronaut_sample_webm)))
    assert abs(info.duration - 30.0) < 0.05


def test_a_sample_under_30_seconds_is_refused_as_too_short(astronaut_statement_mp4: bytes) -> None:
    with pytest.raises(MediaRejected) as caught:
        validate_sample(probe_video(io.BytesIO(astronaut_statement_mp4)))
    assert caught.value.code == "too_short"


def test_a_statement_of_a_few_seconds_is_accepted(astronaut_statement_mp4: bytes) -> None:
    assert validate_statement(probe_video(io.BytesIO(astronaut_statement_mp4))).duration == pytest.approx(3.0, abs=0.05)


def test_a_sample_over_10_minutes_is_refused_as_too_long() -> None:
    # 61 frames at one frame per 10 s: 610 s of valid H.264, encoded in a fraction of a second.
    data = mf.video_bytes(mf.gentle_motion(mf.astronaut(), SIZE), count=61, fps=Fraction(1, 10))  # type: ignore[arg-type]
    info = probe_video(io.BytesIO(data))
    assert info.duration == pytest.approx(610.0, abs=0.5)
    with pytest.raises(MediaRejected) as caught:
        validate_sample(info)
    assert caught.value.code == "too_long"


@pytest.mark.parametrize(("duration", "code"), [(29.9, "too_short"), (30.0, None), (600.0, None), (600.5, "too_long")])
def test_the_sample_limits_are_inclusive(astronaut_sample_webm: bytes, duration: float, code: str | None) -> None:
    info = dataclasses.replace(probe_video(io.BytesIO(astronaut_sample_webm)), duration=duration)
    if code is None:
        validate_sample(info)
    else:
        with pytest.raises(MediaRejected) as caught:
            validate_sample(info)
        assert caught.value.code == code


def test_a_statement_longer_than_two_minutes_is_refused(astronaut_statement_mp4: bytes) -> None:
    info = dataclasses.replace(probe_video(io.BytesIO(astronaut_statement_mp4)), duration=121.0)
    with pytest.raises(MediaRejected) as caught:
        validate_statement(info)
    assert caught.value.code == "too_long"
