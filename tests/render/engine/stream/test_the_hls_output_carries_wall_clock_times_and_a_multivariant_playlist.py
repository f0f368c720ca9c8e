"""The published HLS, as an outside tool (ffprobe) reads it: the media playlist plays with sound and names each
segment's wall-clock start; the multivariant playlist states BANDWIDTH, CODECS (from the real encoder profile and
level) and RESOLUTION. (What LabeledSegmentPipeline's test checked, now on the path production runs.)"""

from __future__ import annotations

import json
import math
import re
import subprocess
from datetime import timedelta

import av
import pytest

from render.engine.hls import PlaylistSegment, codecs_of, multivariant_playlist, peak_bandwidth
from render.engine.segment import format_program_date_time
from tests.render.engine.stream.rendered import ON_AIR, rendered


def _ffprobe(path: str, *args: str) -> dict:
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-of", "json", *args, path], capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(done.stdout)


def test_the_media_playlist_plays_with_sound_and_dates_every_segment() -> None:
    stream = rendered()
    text = (stream.directory / "index.m3u8").read_text()
    dates = re.findall(r"#EXT-X-PROGRAM-DATE-TIME:(\S+)\n#EXTINF:[0-9.]+,\n(seg_\d+\.m4s)", text)
    assert [uri for _, uri in dates] == [r.uri for r in stream.results]
    assert [d for d, _ in dates] == [
        format_program_date_time(ON_AIR + timedelta(seconds=2 * n)) for n in range(len(stream.results))
    ]
    assert dates[0][0] == "2026-12-01T20:00:00.250Z"
    assert text.rstrip().endswith("#EXT-X-ENDLIST")
    with av.open(str(stream.directory / "index.m3u8")) as container:
        assert container.streams.audio, "audio track missing"
        video = sum(1 for _ in container.decode(video=0))
    assert video == stream.plan.frame_count
    probed = _ffprobe(str(stream.directory / "index.m3u8"), "-show_format")
    assert float(probed["format"]["duration"]) == pytest.approx(stream.plan.duration_s, abs=0.1)
    assert stream.plan.duration_s == sum(r.record.duration for r in stream.results)  # what a job records


def test_the_multivariant_playlist_names_bandwidth_codecs_and_resolution_that_ffprobe_confirms() -> None:
    stream = rendered()
    init = (stream.directory / "init.mp4").read_bytes()
    codecs = codecs_of(init)
    segments = [PlaylistSegment(r.uri, r.record.duration, r.record.size) for r in stream.results]
    text = multivariant_playlist(
        media_uri="index.m3u8",
        bandwidth=peak_bandwidth(segments),
        codecs=codecs,
        resolution=(stream.plan.config.width, stream.plan.config.height),
        frame_rate=stream.plan.config.fps,
    )
    (stream.directory / "master.m3u8").write_text(text)
    attributes = re.search(r"#EXT-X-STREAM-INF:(.+)\nindex\.m3u8", text)
    assert attributes is not None
    assert "RESOLUTION=1280x720" in attributes.group(1)
    bandwidth = int(re.search(r"BANDWIDTH=(\d+)", attributes.group(1)).group(1))  # type: ignore[union-attr]
    assert bandwidth == math.ceil(max(r.record.size * 8 / r.record.duration for r in stream.results))

    probed = _ffprobe(str(stream.directory / "master.m3u8"), "-show_streams", "-show_programs")
    video = next(s for s in probed["streams"] if s["codec_type"] == "video")
    audio = next(s for s in probed["streams"] if s["codec_type"] == "audio")
    assert (video["width"], video["height"]) == (1280, 720)
    assert audio["codec_name"] == "aac"
    assert audio["profile"] == "LC"
    assert int(probed["programs"][0]["tags"]["variant_bitrate"]) == bandwidth
    # CODECS is what the encoder wrote: profile and level as ffprobe reads them from the stream itself.
    profile_idc = {"Constrained Baseline": 0x42, "Baseline": 0x42, "Main": 0x4D, "High": 0x64}[video["profile"]]
    avc, mp4a = codecs.split(",")
    assert avc == f"avc1.{profile_idc:02x}{int(avc[7:9], 16):02x}{video['level']:02x}"
    assert mp4a == "mp4a.40.2"
    assert f'CODECS="{codecs}"' in attributes.group(1)
