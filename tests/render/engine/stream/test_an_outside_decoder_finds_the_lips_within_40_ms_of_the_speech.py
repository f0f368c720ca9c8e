"""Audio–lip offset as an outside tool measures it: ffmpeg decodes the published file (init + segments) to raw
frames and PCM, frames are timed at their midpoint, mediapipe measures the mouth opening per decoded frame, and the
lag that best aligns it with the speech envelope must be within 40 ms. The audio track starts at 0 with no edit list,
so a decoder that ignores edit lists (or applies them the way FFmpeg does in fragmented MP4, shifting rather than
trimming) hears the speech when the lips move."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from render.engine import fmp4
from render.engine.avatar.face import measure_opening
from tests.render.engine.outside_tools import concatenated, decoded_audio, decoded_frames, ffprobe_streams
from tests.render.engine.stream.rendered import rendered
from tests.render.engine.stream.test_audio_and_lips_are_in_sync import sync_offset_ms

MAX_OFFSET_MS = 40.0


def test_the_audio_track_has_no_priming_to_hide() -> None:
    init = (rendered().directory / "init.mp4").read_bytes()
    moov = fmp4.find_box(init, "moov")
    assert moov is not None
    kinds = [b.kind for t in fmp4.children(init, moov) if t.kind == "trak" for b in fmp4.children(init, t)]
    assert "edts" not in kinds


def test_ffmpeg_decodes_speech_and_lips_within_40_ms(tmp_path: Path) -> None:
    stream = rendered()
    path = concatenated(stream.directory, [r.uri for r in stream.results], tmp_path / "stream.mp4")
    starts = {s["codec_type"]: float(s["start_time"]) for s in ffprobe_streams(path)}
    assert starts == {"video": 0.0, "audio": 0.0}
    frames = decoded_frames(path)
    fps = stream.plan.config.fps
    assert len(frames) == stream.plan.frame_count
    pcm, audio_start = decoded_audio(path)
    measured = [measure_opening(np.ascontiguousarray(f)) for f in frames]
    assert all(m is not None for m in measured), "mediapipe lost the face in the output"
    # sync_offset_ms reads the envelope at each frame's start + half a frame: the frame's midpoint.
    lag, r = sync_offset_ms(np.array(measured, np.float64), np.arange(len(frames)) / fps, pcm, audio_start, 48_000, fps)
    assert r > 0.5, f"mouth opening and speech envelope barely correlate (r={r:.2f}); nothing was measured"
    assert abs(lag) <= MAX_OFFSET_MS, f"audio is {lag:+.0f} ms off the lips (r={r:.2f})"
