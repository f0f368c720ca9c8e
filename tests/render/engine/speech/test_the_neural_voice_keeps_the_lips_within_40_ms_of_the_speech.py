"""The Kokoro voice's timings (model durations, pads trimmed with them, pauses found on the audio, the decoder's lead
corrected) keep the published lips within 40 ms of the speech, measured exactly as the stream tests measure espeak-ng:
ffmpeg decodes init + segments, mediapipe measures the mouth per decoded frame, the best-correlated lag is taken."""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path

import numpy as np

from render.engine.avatar.face import measure_opening
from tests.render.engine.outside_tools import concatenated, decoded_audio, decoded_frames
from tests.render.engine.stream.rendered import CONFIG, LINES, RenderedStream, _render
from tests.render.engine.stream.test_audio_and_lips_are_in_sync import sync_offset_ms

MAX_OFFSET_MS = 40.0


@lru_cache(maxsize=1)
def rendered_with_kokoro() -> RenderedStream:
    # The stream tests' stream (Mandarin disclosure, a Mandarin and an English line), spoken by the neural voice.
    return _render(dataclasses.replace(CONFIG, tts_backend="kokoro", voice="jf_nezumi"), LINES, "veracast-kokoro-")


def test_ffmpeg_decodes_the_neural_voice_within_40_ms_of_the_lips(tmp_path: Path) -> None:
    stream = rendered_with_kokoro()
    assert stream.plan.config.tts_backend == "kokoro"
    path = concatenated(stream.directory, [r.uri for r in stream.results], tmp_path / "stream.mp4")
    frames = decoded_frames(path)
    fps = stream.plan.config.fps
    pcm, audio_start = decoded_audio(path)
    measured = [measure_opening(np.ascontiguousarray(f)) for f in frames]
    assert all(m is not None for m in measured), "mediapipe lost the face in the output"
    lag, r = sync_offset_ms(np.array(measured, np.float64), np.arange(len(frames)) / fps, pcm, audio_start, 48_000, fps)
    assert r > 0.5, f"mouth opening and speech envelope barely correlate (r={r:.2f}); nothing was measured"
    assert abs(lag) <= MAX_OFFSET_MS, f"audio is {lag:+.0f} ms off the lips (r={r:.2f})"
