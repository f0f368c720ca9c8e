from __future__ import annotations

import math

import numpy as np
import pytest

from render.engine.speech import envelope_mouth_track, mouth_track, synthesize


def test_silence_keeps_the_mouth_closed() -> None:
    track = envelope_mouth_track(np.zeros(48_000, np.float32), 48_000, 30)
    assert track.shape == (30, 3)
    assert float(track[:, 0].max()) < 0.05


def test_loud_stretches_open_the_mouth_and_quiet_ones_close_it() -> None:
    rate, fps = 48_000, 25
    t = np.arange(rate * 2) / rate
    pcm = (0.5 * np.sin(2 * np.pi * 220 * t) * (t >= 0.5) * (t < 1.0)).astype(np.float32)
    track = envelope_mouth_track(pcm, rate, fps)
    assert track.shape == (50, 3)
    assert float(track[int(0.3 * fps), 0]) < 0.05
    assert float(track[int(0.8 * fps), 0]) > 0.6
    assert float(track[int(1.6 * fps), 0]) < 0.05


@pytest.mark.parametrize("fps", [25, 30])
def test_it_lines_up_with_the_viseme_track_within_one_frame(fps: int) -> None:
    speech = synthesize(
        "Welcome to our live stream! Today I am recommending a great moisturizing cream. "
        "Tap follow, and check the little yellow cart below for the price.",
        language="en",
    )
    visemes = mouth_track(speech, fps)[:, 0]
    envelope = envelope_mouth_track(speech.pcm, speech.sample_rate, fps)[:, 0]
    assert len(envelope) == len(visemes) == math.ceil(speech.duration_s * fps)
    a, b = visemes - visemes.mean(), envelope - envelope.mean()
    scores = {}
    for lag in range(-5, 6):
        x = a[max(0, lag) : len(a) + min(0, lag)]
        y = b[max(0, -lag) : len(b) + min(0, -lag)]
        scores[lag] = float(np.corrcoef(x, y)[0, 1])
    best = max(scores, key=lambda lag: scores[lag])
    # The sync target is 40 ms: one frame at 25 or 30 fps.
    assert abs(best) <= 1
    assert scores[best] > 0.4
