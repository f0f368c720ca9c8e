"""A live stream run by the live runner (lease claimed, 1280x720 30 fps) reaches a real
nginx-rtmp: a viewer decodes video and audio, finds the AIGC JSON in onMetaData and reads the visible label; the
same segments are the archive (Segment rows, one `segment.published` each, chained C2PA manifests), served as the
live (sliding window) and archive playlists to the brand, and the looping playlist keeps the plan growing."""

from __future__ import annotations

import itertools
import threading
from typing import Any

import pytest
from django.urls import reverse

from audit.models import LedgerEvent
from render.engine.metadata import check_aigc_json
from render.models import RenderJob, Segment
from streaming.models import StreamLease
from streaming.runner.loop import run_live_stream
from tests.render.engine.outside_tools import ocr
from tests.streaming.live.nginx_rtmp import NginxRtmp
from tests.streaming.live.subscriber import Subscriber
from tests.streaming.runner.helpers import KEY, ScriptedControl, live_stream, runner_settings

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_the_runner_pushes_labelled_segments_and_archives_them(
    transactional_db: Any, personas: dict[str, Any], nginx_rtmp: NginxRtmp, client: Any, settings: Any
) -> None:
    settings.LIVE_PREVIEW_WINDOW_SEGMENTS = 3
    stream = live_stream(personas, nginx_rtmp)
    control = ScriptedControl()
    with Subscriber(nginx_rtmp.url(KEY)) as viewer:
        # Unpaced: on a shared 2-core test machine rendering may run slower than real time (pacing has its own tests).
        outcome = run_live_stream(
            stream_id=stream.pk, control=control, settings=runner_settings(), max_segments=4, pace=False
        )
        viewer.wait_until_video_at(8.0 - 1 / 30 - 0.001, timeout=10)
    seen = viewer.seen

    assert outcome.status == "yielded", outcome
    assert outcome.published == [0, 1, 2, 3]
    assert [sequence for sequence, _ in control.usage] == [0, 1, 2, 3]  # metered per published segment
    job = RenderJob.objects.get(stream_id=str(stream.public_id))
    segments = list(Segment.objects.filter(job=job).order_by("sequence"))
    assert [s.sequence for s in segments] == [0, 1, 2, 3]
    for before, after in itertools.pairwise(segments):
        assert after.previous_manifest_id == before.manifest_id
    assert LedgerEvent.objects.filter(subject=job.subject, kind="segment.published").count() == 4
    claimed = LedgerEvent.objects.get(subject=stream.subject, kind="stream.runner_claimed").payload_data
    assert claimed["takeover"] is False
    assert StreamLease.objects.get(stream=stream).token is None  # released at the end of its turn

    assert seen.metadata, seen.errors
    aigc = seen.metadata[0]["AIGC"]
    check_aigc_json(aigc)
    assert str(stream.public_id) in aigc
    assert seen.audio_samples >= 48_000 * 2
    video = seen.times("video")
    assert all(b > a for a, b in itertools.pairwise(video))
    assert video[-1] >= 6.0, (video[:1], video[-1:], seen.errors)
    _session, _pts, frame = seen.frames[-1]  # the corner label is on every frame
    x, y, w, h = segments[-1].label["box"]
    margin = round(0.02 * 720)
    text = ocr(frame[max(y - margin, 0) : y + h + margin, max(x - margin, 0) : x + w + margin])
    assert "AI生成" in text.replace(" ", ""), text

    client.force_login(personas["alice"])
    live = client.get(reverse("catalog-api:stream-live-playlist", args=[stream.public_id])).content.decode()
    assert "#EXT-X-MEDIA-SEQUENCE:1" in live  # a window of the last 3
    assert "seg_000003.m4s" in live
    assert "seg_000000.m4s" not in live
    archive = client.get(reverse("catalog-api:stream-archive-playlist", args=[stream.public_id])).content.decode()
    assert [line for line in archive.splitlines() if line.startswith("seg_")] == [s.uri for s in segments]
    served = client.get(reverse("catalog-api:stream-media-file", args=[stream.public_id, "seg_000002.m4s"]))
    assert b"".join(served.streaming_content) == _stored(segments[2].storage_name)
    page = client.get(reverse("streams:detail", args=[stream.public_id])).content.decode()
    assert 'data-testid="player"' in page
    client.force_login(personas["charlie"])  # another brand
    assert client.get(reverse("catalog-api:stream-archive-playlist", args=[stream.public_id])).status_code == 404
    assert not [t for t in threading.enumerate() if t.name == "live-output"]  # the output thread ended


def _stored(name: str) -> bytes:
    from render.publisher import segment_storage

    with segment_storage().open(name, "rb") as f:
        return bytes(f.read())
