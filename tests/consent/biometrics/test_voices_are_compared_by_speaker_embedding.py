"""Speaker matching on espeak-ng voices. Synthetic voices only: see voice.py on what the threshold means."""

from __future__ import annotations

import io
import shutil

import numpy as np
import pytest

from consent.biometrics.errors import MediaRejected
from consent.biometrics.voice import VOICE_MATCH_THRESHOLD, compare_voices, extract_audio, video_voice_embedding
from tests.consent.biometrics import media_factory as mf
from tests.consent.biometrics.conftest import SIZE

pytestmark = pytest.mark.slow

CONSENT = "I agree that Veracast may use my face and voice for livestream shopping. My code is four seven one two nine."
OTHER_TEXT = "Today I am recommending a great moisturizing cream for dry winter skin, and it is fifty yuan off."


def talking_video(text: str, voice: str, *, container: str = "webm") -> io.BytesIO:
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is required: apt-get install -y espeak-ng")
    pcm, rate = mf.espeak(text, voice)
    seconds = len(pcm) / rate
    return io.BytesIO(
        mf.video_bytes(
            [mf.place(mf.astronaut(), SIZE)],
            count=int(seconds * 2) + 1,
            fps=2,
            codec="vp8" if container == "webm" else "h264",
            container=container,
            audio=(pcm, rate),
        )
    )


@pytest.fixture(scope="module")
def male_consent() -> np.ndarray:
    return video_voice_embedding(talking_video(CONSENT, "en-us"))


def test_audio_is_decoded_to_16_khz_mono() -> None:
    pcm, rate = mf.espeak(OTHER_TEXT, "en-us")
    audio = extract_audio(talking_video(OTHER_TEXT, "en-us", container="mp4"))
    assert audio.dtype == np.float32
    assert audio.ndim == 1
    assert abs(len(audio) / 16_000 - len(pcm) / rate) < 0.2
    assert 0.01 < float(np.abs(audio).max()) <= 1.0


def test_the_same_voice_reading_another_text_matches(male_consent: np.ndarray) -> None:
    sample = video_voice_embedding(talking_video(OTHER_TEXT, "en-us", container="mp4"))
    match = compare_voices(male_consent, sample)
    assert match.decision == "match"
    assert match.similarity > 0.9
    assert match.threshold == VOICE_MATCH_THRESHOLD


def test_a_different_voice_scores_lower_and_does_not_match(male_consent: np.ndarray) -> None:
    same = compare_voices(male_consent, video_voice_embedding(talking_video(OTHER_TEXT, "en-us")))
    other = compare_voices(male_consent, video_voice_embedding(talking_video(OTHER_TEXT, "en-us+f3")))
    assert other.decision == "no_match"
    assert other.similarity < same.similarity - 0.15


def test_a_video_without_sound_is_refused_as_no_audio(astronaut_statement_mp4: bytes) -> None:
    with pytest.raises(MediaRejected) as caught:
        video_voice_embedding(io.BytesIO(astronaut_statement_mp4))
    assert caught.value.code == "no_audio"


def test_a_silent_sound_track_is_refused_as_no_speech() -> None:
    silence = np.zeros(16_000 * 3, dtype=np.int16)
    data = mf.video_bytes(
        [mf.place(mf.astronaut(), SIZE)], count=6, fps=2, codec="vp8", container="webm", audio=(silence, 16_000)
    )
    with pytest.raises(MediaRejected) as caught:
        video_voice_embedding(io.BytesIO(data))
    assert caught.value.code == "no_speech"
