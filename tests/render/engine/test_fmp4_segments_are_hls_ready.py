from __future__ import annotations

import struct

import av
import numpy as np
import pytest

from render.engine import fmp4
from render.engine.encode import EncodeError, EncoderSettings, SegmentEncoder
from render.engine.hls import PlaylistSegment, media_playlist
from render.engine.yuv import rgb_to_yuv420
from tests.render.engine.synthetic import rgb_frames, tone


def _first_sample_flags(segment: bytes) -> int:
    trun = fmp4.find_box(segment, "moof/traf/trun")
    assert trun is not None
    p = trun.payload_offset
    flags = struct.unpack_from(">I", segment, p)[0] & 0xFFFFFF
    assert flags & 0x400  # per-sample flags present
    return struct.unpack_from(">I", segment, p + 12 + 8)[0]  # count, data_offset, then duration, size, flags


@pytest.mark.parametrize(("height", "fps"), [(720, 25), (1080, 30)])
def test_it_writes_an_init_segment_and_2s_media_segments_that_start_with_a_keyframe(tmp_path, height, fps):
    settings = EncoderSettings.for_height(height, fps=fps)
    encoder = SegmentEncoder(settings, metadata={"AIGC": '{"Label":"1"}'})
    assert fmp4.top_level_kinds(encoder.init_segment) == ["ftyp", "moov"]
    assert fmp4.find_box(encoder.init_segment, "moov/mvex/trex") is not None
    # A few distinct frames, repeated: enough motion for the encoder, cheap to synthesise at 1080p.
    distinct = [rgb_to_yuv420(f) for f in rgb_frames(5, settings.width, settings.height)]
    frames = [distinct[i % 5] for i in range(settings.frames_per_segment)]
    segments = []
    for _ in range(2):
        seg = encoder.encode_segment(frames, tone())
        assert fmp4.top_level_kinds(seg.data) == ["styp", "moof", "mdat"]
        assert _first_sample_flags(seg.data) == 0x02000000  # sync sample
        assert seg.video_frames == settings.frames_per_segment
        assert seg.duration == 2.0
        segments.append(seg)
    (tmp_path / "init.mp4").write_bytes(encoder.init_segment)
    for seg in segments:
        (tmp_path / f"seg_{seg.sequence:06d}.m4s").write_bytes(seg.data)
    listed = [PlaylistSegment(f"seg_{s.sequence:06d}.m4s", s.duration, len(s.data)) for s in segments]
    (tmp_path / "index.m3u8").write_text(media_playlist(listed, ended=True))
    with av.open(str(tmp_path / "index.m3u8")) as container:
        video = container.streams.video[0]
        assert (video.codec_context.width, video.codec_context.height) == (settings.width, settings.height)
        assert container.streams.audio[0].codec_context.name == "aac"
        decoded = list(container.decode(video=0))
    assert len(decoded) == 2 * settings.frames_per_segment
    assert decoded[0].pts == 0


def test_each_segment_decodes_on_its_own_after_the_init_segment(tmp_path):
    settings = EncoderSettings(width=640, height=360)
    encoder = SegmentEncoder(settings)
    frames = [rgb_to_yuv420(f) for f in rgb_frames(50, 640, 360)]
    encoder.encode_segment(frames)
    second = encoder.encode_segment(frames)
    path = tmp_path / "second.mp4"
    path.write_bytes(encoder.init_segment + second.data)
    with av.open(str(path)) as container:
        decoded = list(container.decode(video=0))
    assert len(decoded) == 50
    assert decoded[0].key_frame


def test_the_playlist_is_hls_version_7_with_a_map_and_extinf():
    text = media_playlist([PlaylistSegment(f"seg_00000{n}.m4s", 2.0, 1000) for n in range(2)], ended=True)
    lines = text.splitlines()
    assert lines[0] == "#EXTM3U"
    assert "#EXT-X-VERSION:7" in lines
    assert '#EXT-X-MAP:URI="init.mp4"' in lines
    assert "#EXT-X-TARGETDURATION:2" in lines
    assert lines.count("#EXTINF:2.000,") == 2
    assert lines[-1] == "#EXT-X-ENDLIST"


def test_it_refuses_a_segment_of_the_wrong_length_or_shape():
    encoder = SegmentEncoder(EncoderSettings(width=640, height=360))
    good = np.zeros((540, 640), dtype=np.uint8)
    with pytest.raises(EncodeError, match="needs 50 frames"):
        encoder.encode_segment([good] * 49)
    with pytest.raises(EncodeError, match="expected"):
        encoder.encode_segment([np.zeros((360, 640), dtype=np.uint8)] * 50)
    with pytest.raises(EncodeError, match="fps"):
        EncoderSettings(fps=29)
