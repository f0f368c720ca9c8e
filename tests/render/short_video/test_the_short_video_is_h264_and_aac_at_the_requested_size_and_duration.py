"""ffprobe reads the short video as one progressive MP4 (moov before mdat: `+faststart`) with an H.264 track of
720x1280 and an AAC track, both as long as the plan, and ffmpeg decodes every frame without an error."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.render.short_video.helpers import rendered_short_video


@pytest.mark.slow
def test_ffprobe_finds_h264_and_aac_of_the_right_size_and_duration() -> None:
    rendered = rendered_short_video()
    probe = json.loads(
        subprocess.run(
            ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", str(rendered.path)],
            capture_output=True, check=True, text=True,
        ).stdout
    )  # fmt: skip
    streams = {s["codec_type"]: s for s in probe["streams"]}
    assert set(streams) == {"video", "audio"}
    assert streams["video"]["codec_name"] == "h264"
    assert (streams["video"]["width"], streams["video"]["height"]) == (720, 1280)
    assert streams["video"]["avg_frame_rate"] == "30/1"
    assert int(streams["video"]["nb_frames"]) == rendered.video.frame_count
    assert streams["audio"]["codec_name"] == "aac"
    assert int(streams["audio"]["sample_rate"]) == 48_000
    assert rendered.video.duration_s >= 4.0
    assert float(probe["format"]["duration"]) == pytest.approx(rendered.video.duration_s, abs=0.05)
    assert float(streams["audio"]["duration"]) == pytest.approx(rendered.video.duration_s, abs=0.05)
    data = rendered.path.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat")  # a browser can start playing before the download ends
    decode = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(rendered.path), "-f", "null", "-"], capture_output=True, text=True
    )
    assert decode.returncode == 0, decode.stderr
    assert decode.stderr == ""
    assert rendered.progress[-1] == 1.0
    assert rendered.progress == sorted(rendered.progress)
