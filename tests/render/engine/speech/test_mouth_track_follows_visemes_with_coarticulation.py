from __future__ import annotations

import math

import numpy as np
import pytest

from render.engine.speech import MOUTH_PARAMS, Speech, TimedUnit, mouth_track, synthesize

RATE = 16_000
JAW, WIDTH, ROUND = (MOUTH_PARAMS.index(name) for name in ("jaw_open", "lip_width", "lip_round"))


def _speech(*units: tuple[str, float, float]) -> Speech:
    """Speech with hand-placed phonemes (the audio content does not matter to the mouth track)."""
    end = units[-1][2]
    return Speech(
        pcm=np.zeros(round(end * RATE), np.float32),
        sample_rate=RATE,
        phonemes=tuple(TimedUnit(symbol, start, stop) for symbol, start, stop in units),
        language="en",
        backend="test",
        voice="",
    )


def _at(track: np.ndarray, seconds: float, fps: int) -> np.ndarray:
    return track[int(seconds * fps)]


@pytest.mark.parametrize("fps", [25, 30])
def test_it_gives_one_row_of_mouth_parameters_per_video_frame(fps: int) -> None:
    speech = synthesize("欢迎来到直播间", language="zh")
    track = mouth_track(speech, fps)
    assert MOUTH_PARAMS == ("jaw_open", "lip_width", "lip_round")
    assert track.shape == (math.ceil(speech.duration_s * fps), 3)
    assert track.dtype == np.float32
    assert float(track.min()) >= 0.0
    assert float(track.max()) <= 1.0


def test_the_mouth_opens_before_an_open_vowel_is_heard() -> None:
    fps = 100  # fine sampling to look inside the look-ahead window
    track = mouth_track(_speech(("sil", 0.0, 0.5), ("a", 0.5, 1.0), ("sil", 1.0, 1.6)), fps)
    rest = _at(track, 0.2, fps)[JAW]
    assert rest < 0.05
    assert _at(track, 0.46, fps)[JAW] > rest + 0.2  # 40 ms ahead: already opening
    assert _at(track, 0.43, fps)[JAW] > rest + 0.03  # 70 ms ahead: starting to open
    assert _at(track, 0.35, fps)[JAW] < rest + 0.005  # 150 ms ahead: not yet
    assert _at(track, 0.75, fps)[JAW] > 0.85
    assert _at(track, 1.3, fps)[JAW] < 0.05  # a long pause closes the mouth again


def test_lips_round_in_anticipation_of_u_through_a_consonant() -> None:
    fps = 100
    track = mouth_track(_speech(("sil", 0.0, 0.3), ("i", 0.3, 0.6), ("t", 0.6, 0.66), ("u", 0.66, 0.9)), fps)
    assert _at(track, 0.45, fps)[ROUND] < 0.05
    assert _at(track, 0.63, fps)[ROUND] > 0.3  # during the t, the lips are already rounding for u
    assert _at(track, 0.8, fps)[ROUND] > 0.9
    assert _at(track, 0.45, fps)[WIDTH] > _at(track, 0.8, fps)[WIDTH] + 0.5  # i spreads, u narrows


@pytest.mark.parametrize("fps", [25, 30])
def test_a_short_bilabial_between_vowels_still_closes_the_lips(fps: int) -> None:
    # 30 ms "m" that no frame centre falls in at 25 fps: it is widened to the nearest frame.
    track = mouth_track(_speech(("sil", 0.0, 0.2), ("a", 0.2, 0.505), ("m", 0.505, 0.535), ("a", 0.535, 0.8)), fps)
    assert float(track[:, JAW][int(0.4 * fps) : int(0.65 * fps)].min()) < 0.12


def test_every_bilabial_in_real_speech_closes_the_lips_in_some_frame() -> None:
    speech = synthesize("Mama bought a puppy, maybe more.", language="en")
    fps = 25
    track = mouth_track(speech, fps)
    closures = [v for v in speech.visemes if v.symbol == "PP"]
    assert len(closures) >= 5
    for closure in closures:
        lo = max(0, int(closure.start_s * fps) - 1)
        hi = int(closure.end_s * fps) + 2
        assert float(track[lo:hi, JAW].min()) < 0.15, closure


def test_tongue_consonants_do_not_make_the_jaw_chatter() -> None:
    fps = 30
    track = mouth_track(_speech(("sil", 0.0, 0.2), ("a", 0.2, 0.45), ("t", 0.45, 0.5), ("a", 0.5, 0.8)), fps)
    assert float(track[int(0.3 * fps) : int(0.7 * fps), JAW].min()) > 0.6


def test_the_track_moves_smoothly_from_frame_to_frame() -> None:
    speech = synthesize("Welcome to our live stream! Tap follow, and check the cart below.", language="en")
    track = mouth_track(speech, 30)
    assert float(np.abs(np.diff(track, axis=0)).max()) < 0.6
    # ... but it does move: a mouth that stays still is not lip-sync.
    assert float(track[:, JAW].std()) > 0.1


def test_it_refuses_a_non_positive_frame_rate() -> None:
    with pytest.raises(ValueError, match="fps"):
        mouth_track(_speech(("a", 0.0, 0.2)), 0)
