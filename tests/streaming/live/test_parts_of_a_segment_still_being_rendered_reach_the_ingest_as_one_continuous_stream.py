"""The live runner sends a segment a part at a time while it renders the rest (render.engine.live_segment): a real
nginx-rtmp viewer decodes every frame of the parts, in order, one frame apart, with the audio, and a whole segment
pushed after them (a slate) continues the same timeline. A part lost on the way (dropped as stale) is not followed
by the parts that depend on it: they are skipped until the next segment's first part, which the viewer decodes."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from render.engine.encode import EncodedPart, EncoderSettings, IndependentSegmentEncoder
from streaming.live import RtmpPusher
from tests.streaming.live.nginx_rtmp import NginxRtmp
from tests.streaming.live.subscriber import Subscriber
from tests.streaming.live.synthetic import AIGC

pytestmark = pytest.mark.slow

SETTINGS = EncoderSettings(width=320, height=180, fps=30, segment_seconds=2, video_bitrate=300_000)
PART = 6


def _parts(encoder: IndependentSegmentEncoder, sequence: int) -> list[EncodedPart]:
    """Segment `sequence` of a moving gradient and a tone, encoded and taken a part at a time."""
    encoding = encoder.begin(sequence)
    start, end = encoder.audio_span(sequence)
    t = np.arange(start, end) / SETTINGS.sample_rate
    pcm = np.repeat((0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)[:, None], 2, axis=1)
    parts = []
    while encoding.frames_encoded < SETTINGS.frames_per_segment:
        for _ in range(PART):
            i = encoding.next_frame
            yuv = np.full((180 * 3 // 2, 320), 128, np.uint8)
            yuv[:180] = ((np.arange(320)[None, :] + 4 * i) % 256).astype(np.uint8)
            encoding.add_frame(yuv)
        encoding.feed_audio(pcm, upto=encoding.next_frame * 1600)
        parts.append(encoding.take())
    encoding.finish(pcm)
    parts.append(encoding.take())  # the audio after the last frame
    return parts


def test_a_viewer_decodes_every_part_and_the_slate_after_them(nginx_rtmp: NginxRtmp) -> None:
    encoder = IndependentSegmentEncoder(SETTINGS, metadata={"AIGC": AIGC.to_json()})
    url = nginx_rtmp.url("sk_parts_test_0001")
    with Subscriber(url) as viewer:
        pusher = RtmpPusher(url, init_segment=encoder.init_segment)
        for sequence in (0, 1):
            for part in _parts(encoder, sequence):
                pusher.push_part(part)
        slate = IndependentSegmentEncoder(SETTINGS, metadata={"AIGC": AIGC.to_json()})
        frames = [np.full((270, 320), 60, np.uint8)] * SETTINGS.frames_per_segment
        start, end = slate.audio_span(2)
        pusher.push(slate.encode_segment(2, frames, np.zeros((end - start, 2), np.float32)).data)
        pusher.close()
        viewer.wait_until_video_at(6.0 - 1 / 30 - 0.001, timeout=8)
    seen = viewer.seen

    video = seen.times("video")
    assert seen.metadata[0]["AIGC"] == AIGC.to_json()
    # The viewer joins at a keyframe: at the first segment's or, on a slow start, at the second's.
    assert len(video) in (180, 120), seen.errors
    assert video[-1] == pytest.approx(6.0 - 1 / 30, abs=0.002)  # the slate right after the parts
    assert all(b - a == pytest.approx(1 / 30, abs=0.0011) for a, b in itertools.pairwise(video))
    assert seen.video_frames == len(video)  # every frame decodes
    assert seen.audio_samples >= 48_000 * 3  # the parts' audio, decoded
    audio = seen.times("audio")
    assert all(b > a for a, b in itertools.pairwise(audio))


def test_after_a_lost_part_the_viewer_picks_up_at_the_next_segment(nginx_rtmp: NginxRtmp) -> None:
    encoder = IndependentSegmentEncoder(SETTINGS, metadata={"AIGC": AIGC.to_json()})
    url = nginx_rtmp.url("sk_parts_test_0002")
    with Subscriber(url) as viewer:
        pusher = RtmpPusher(url, init_segment=encoder.init_segment)
        first, second = _parts(encoder, 0), _parts(encoder, 1)
        sent = [pusher.push_part(part).packets for part in first[:3]]
        pusher.skip_part()  # the fourth part was dropped
        skipped = [pusher.push_part(part).packets for part in first[4:]]
        resumed = [pusher.push_part(part).packets for part in second]
        pusher.close()
        viewer.wait_until_video_at(1.0, timeout=8)
    seen = viewer.seen

    assert all(sent)
    assert not any(skipped)  # nothing that depends on the lost frames went out
    assert all(resumed[:-1])
    assert seen.errors == [] or all("open" in e for e in seen.errors)
    # Every frame sent decodes (a viewer that joined late starts at the second segment).
    assert seen.video_frames in (3 * PART + SETTINGS.frames_per_segment, SETTINGS.frames_per_segment)
    video = seen.times("video")
    assert all(b > a for a, b in itertools.pairwise(video))
