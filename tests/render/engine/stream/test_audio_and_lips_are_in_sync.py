"""Audio–lip sync measured on the published output only: mediapipe measures the mouth opening on decoded frames,
the speech envelope comes from the decoded AAC, and the lag that best aligns them must be within one frame (40 ms)."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from render.engine.avatar.face import measure_opening
from tests.render.engine.stream.rendered import rendered

MAX_OFFSET_MS = 40.0


def decoded_output(directory: Path) -> tuple[list[np.ndarray], list[float], np.ndarray, float, int]:
    """(RGB frames, their presentation times, mono PCM, time of its first sample, sample rate) from the playlist."""
    with av.open(str(directory / "index.m3u8")) as container:
        frames, times = [], []
        for f in container.decode(video=0):
            frames.append(f.to_ndarray(format="rgb24"))
            times.append(float(f.time))
    with av.open(str(directory / "index.m3u8")) as container:
        chunks = []
        start = None
        rate = 48_000
        for a in container.decode(audio=0):
            if start is None:
                start = float(a.time)
                rate = a.sample_rate
            chunks.append(a.to_ndarray().mean(axis=0))
    return frames, times, np.concatenate(chunks).astype(np.float64), float(start or 0.0), rate


def sync_offset_ms(
    openings: np.ndarray, times: np.ndarray, pcm: np.ndarray, audio_start: float, rate: int, fps: float
) -> tuple[float, float]:
    """(lag in ms, correlation) maximising the correlation of mouth opening with the speech envelope.

    A positive lag means the sound comes after the picture. The envelope is the RMS over one frame period, in dB
    (floored at -50 dB), read at each frame's centre plus the lag, with the lag scanned in 1 ms steps."""
    window = round(rate / fps)
    cumulative = np.concatenate([[0.0], np.cumsum(pcm**2)])

    def envelope(t: np.ndarray) -> np.ndarray:
        centre = np.round((t - audio_start) * rate).astype(np.int64)
        lo = np.clip(centre - window // 2, 0, len(pcm))
        hi = np.clip(centre + window // 2, 0, len(pcm))
        rms = np.sqrt((cumulative[hi] - cumulative[lo]) / np.maximum(hi - lo, 1))
        return np.maximum(20 * np.log10(np.maximum(rms, 1e-9)), -50.0)

    centres = times + 0.5 / fps
    best = (0.0, -2.0)
    for lag_ms in range(-200, 201):
        e = envelope(centres + lag_ms / 1000)
        r = float(np.corrcoef(openings, e)[0, 1])
        if r > best[1]:
            best = (float(lag_ms), r)
    return best


def test_the_mouth_and_the_speech_line_up_within_one_frame() -> None:
    stream = rendered()
    frames, times, pcm, audio_start, rate = decoded_output(stream.directory)
    measured = [measure_opening(f) for f in frames]
    assert sum(m is None for m in measured) == 0, "mediapipe lost the face in the output"
    openings = np.array(measured, dtype=np.float64)
    lag, r = sync_offset_ms(openings, np.array(times), pcm, audio_start, rate, stream.plan.config.fps)
    assert r > 0.5, f"mouth opening and speech envelope barely correlate (r={r:.2f}); nothing was measured"
    assert abs(lag) <= MAX_OFFSET_MS, f"audio is {lag:+.0f} ms off the lips (r={r:.2f})"
