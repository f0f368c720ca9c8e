"""A tiny stream in the engine's published format, without an avatar: a moving gradient and a 440 Hz tone encoded by
render.engine.encode (the encoder the stream renderer uses) into an init segment with the AIGC label and 2 s media
segments. For the push tests that need real H.264/AAC segments but not the label's pixels (those use the rendered
stream of tests/render/engine/stream/rendered.py), at 320x180 so they cost little on a 2-core machine."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from render.engine.encode import EncoderSettings, IndependentSegmentEncoder
from render.engine.metadata import AigcLabel

AIGC = AigcLabel(ContentProducer="001191110108000000000010001", ProduceID="live-synthetic-0001")


@dataclass(frozen=True)
class SyntheticStream:
    init: bytes
    segments: tuple[bytes, ...]
    aigc: str


@lru_cache(maxsize=2)
def synthetic_stream(count: int = 4, width: int = 320, height: int = 180, fps: int = 30) -> SyntheticStream:
    settings = EncoderSettings(width=width, height=height, fps=fps, segment_seconds=2, video_bitrate=300_000)
    encoder = IndependentSegmentEncoder(settings, metadata={"AIGC": AIGC.to_json()})
    segments = []
    for sequence in range(count):
        first = sequence * settings.frames_per_segment
        frames = []
        for i in range(first, first + settings.frames_per_segment):
            yuv = np.full((height * 3 // 2, width), 128, np.uint8)
            yuv[:height] = ((np.arange(width)[None, :] + 4 * i) % 256).astype(np.uint8)
            frames.append(yuv)
        start, end = encoder.audio_span(sequence)
        t = np.arange(start, end) / settings.sample_rate
        tone = (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
        pcm = np.repeat(tone[:, None], settings.channels, axis=1)
        segments.append(encoder.encode_segment(sequence, frames, pcm).data)
    return SyntheticStream(encoder.init_segment, tuple(segments), AIGC.to_json())
