"""A stream rendered by the engine (720x1280 30 fps, 4 segments of 2 s) is pushed in real time to a real nginx-rtmp;
a viewer reading rtmp://127.0.0.1:PORT/live/KEY decodes its video and audio, finds the GB 45438 AIGC JSON of the
init segment in the stream's onMetaData, sees monotonic timestamps, and tesseract reads "AI生成" and "AI-generated"
in the visible label of a decoded frame. The packets are the published ones (remuxed, not re-encoded)."""

from __future__ import annotations

import itertools

import pytest

from render.engine.metadata import check_aigc_json
from streaming.live import RtmpPusher
from tests.render.engine.outside_tools import ocr
from tests.render.engine.stream.rendered import rendered_portrait
from tests.streaming.live.nginx_rtmp import NginxRtmp
from tests.streaming.live.subscriber import Subscriber

pytestmark = pytest.mark.slow


def test_a_viewer_decodes_the_pushed_stream_and_reads_its_labels(nginx_rtmp: NginxRtmp) -> None:
    stream = rendered_portrait()
    init = stream.renderer.init_segment()
    url = nginx_rtmp.url("sk_render_test_0001")
    with Subscriber(url) as viewer:
        pusher = RtmpPusher(url, init_segment=init.data)
        reports = [pusher.push(result.data) for result in stream.results]
        pusher.close()
        viewer.wait_until_video_at(8.0 - 1 / 30 - 0.001, timeout=5)
    seen = viewer.seen

    assert [r.start_s for r in reports] == [0.0, 2.0, 4.0, 6.0]
    assert seen.metadata, seen.errors
    assert seen.metadata[0]["AIGC"] == init.aigc  # onMetaData, unchanged through the ingest
    check_aigc_json(seen.metadata[0]["AIGC"])
    assert seen.video_frames >= 90, seen.errors  # the viewer joined at a keyframe and saw at least 3 s
    assert seen.audio_samples >= 48_000 * 2
    video = seen.times("video")
    assert all(b > a for a, b in itertools.pairwise(video))
    assert video[-1] == pytest.approx(8.0 - 1 / 30, abs=0.002)

    _session, _pts, frame = next(f for f in seen.frames if f[1] >= 3.5)  # past the opening notice
    assert frame.shape == (1280, 720, 3)
    x, y, w, h = stream.results[-1].record.label["box"]
    margin = round(0.02 * 720)
    text = ocr(frame[max(y - margin, 0) : y + h + margin, max(x - margin, 0) : x + w + margin])
    assert "AI生成" in text.replace(" ", ""), text
    assert "AI-generated" in text, text
