"""A short video: a stream plan written as ONE downloadable MP4 (H.264 + AAC, `+faststart`) with the AIGC label in
`moov/udta/meta` and one C2PA manifest over the whole file.

    video = render_short_video(renderer, plan, video_id=..., on_progress=..., before_segment=...)
    video.data, video.manifest_id, video.sha256

The frames are the stream's own (`StreamRenderer.segment_frames`: lip-synced, labelled, watermarked with the content
id of each 2 s span, exactly as the live segments are), and the audio is the plan's PCM (spoken disclosure first);
only the container differs: a progressive MP4 for a download instead of signed fMP4 segments. So a short video
passes the same label, watermark and AIGC checks as a live stream, and there is no second label or watermark path.

The AIGC value is written as an MP4 metadata tag with FFmpeg's `use_metadata_tags` (`moov/udta/meta`, `mdta` keys,
the GB 45438 Annex E JSON), which `ffprobe -show_format` lists as the format tag `AIGC`. The C2PA manifest
(`SegmentSigner.sign_video`) goes into a `uuid` box after `ftyp`; c2pa-rs shifts the chunk offsets of the moov.

`before_segment(n)` runs before each 2 s span is drawn: the Django side asks the consent gate there, so a consent
revoked mid-render stops the render within one span (it raises; nothing is returned, no file is left).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from render.engine.c2pa_sign import AIGC_LABEL, CONSENT_LABEL
from render.engine.stream import SAMPLE_RATE, StreamPlan, StreamRenderer
from render.engine.watermark import content_id_for, stream_code_for

SHORT_VIDEO_LABEL = "com.veracast.short_video"
_AAC_FRAME = 1024


@dataclass(frozen=True)
class ShortVideo:
    data: bytes  # the signed MP4
    manifest_id: str
    sha256: str  # hex, of `data`
    size: int
    duration_s: float
    width: int
    height: int
    frame_count: int
    watermark_id: str  # the stream code every frame's watermark carries (hex), with the span's sequence
    aigc: str  # the Annex E JSON in moov/udta/meta
    timings: dict[str, float] = field(default_factory=dict)  # ms: frames+encode, c2pa


def render_short_video(
    renderer: StreamRenderer,
    plan: StreamPlan,
    *,
    video_id: str,
    assertions: dict[str, Any] | None = None,
    on_progress: Callable[[float], None] | None = None,
    before_segment: Callable[[int], None] | None = None,
) -> ShortVideo:
    """The whole plan as one signed MP4. `assertions` go into the manifest's `com.veracast.short_video` assertion
    (the script reference, say); `on_progress(fraction)` runs after each 2 s span."""
    import av

    cfg = renderer.config
    settings = renderer.settings
    timings: dict[str, float] = {}
    started = time.perf_counter()
    handle, path = tempfile.mkstemp(prefix="veracast-short-", suffix=".mp4")
    os.close(handle)
    try:
        with av.open(path, "w", format="mp4", options={"movflags": "+faststart+use_metadata_tags"}) as container:
            container.metadata["AIGC"] = renderer.aigc.to_json()
            video: Any = container.add_stream("libx264", rate=cfg.fps)
            video.width, video.height = cfg.width, cfg.height
            video.pix_fmt = "yuv420p"
            video.bit_rate = settings.video_bitrate
            video.options = {
                "preset": settings.preset,
                "x264-params": "colorprim=bt709:transfer=bt709:colormatrix=bt709",
            }
            audio: Any = container.add_stream("aac", rate=SAMPLE_RATE)
            audio.layout = "stereo" if settings.channels == 2 else "mono"
            audio.bit_rate = settings.audio_bitrate

            frame_timings: dict[str, float] = {}
            planar = np.ascontiguousarray(np.repeat(plan.pcm[None, :].astype(np.float32), settings.channels, axis=0))
            audio_done = 0
            for sequence in range(plan.segment_count):
                if before_segment is not None:
                    before_segment(sequence)
                first = sequence * plan.frames_per_segment
                for offset, yuv in enumerate(renderer.segment_frames(plan, sequence, frame_timings)):
                    frame = av.VideoFrame.from_ndarray(yuv, format="yuv420p")
                    frame.pts = first + offset
                    frame.time_base = Fraction(1, cfg.fps)
                    container.mux(video.encode(frame))
                # The span's audio right after its video, so the file interleaves (a browser plays it while loading).
                audio_done = _encode_audio(
                    container,
                    audio,
                    planar,
                    audio_done,
                    (sequence + 1) * plan.frames_per_segment * SAMPLE_RATE // cfg.fps,
                )
                if on_progress is not None:
                    on_progress((sequence + 1) / plan.segment_count)
            container.mux(video.encode(None))
            _encode_audio(container, audio, planar, audio_done, planar.shape[1])
            container.mux(audio.encode(None))
        timings.update(frame_timings)
        timings["frames_encode"] = (time.perf_counter() - started) * 1000
        with open(path, "rb") as unsigned:
            data = unsigned.read()
    finally:
        os.unlink(path)

    t = time.perf_counter()
    code = stream_code_for(renderer.stream_id)
    extra = {
        "videoId": video_id,
        "streamId": renderer.stream_id,
        "watermark_stream_code": f"{code:x}",
        "watermark_first_content_id": f"{content_id_for(renderer.stream_id, 0):016x}",
        "planFingerprint": plan.fingerprint,
        **(assertions or {}),
    }
    consent = {
        "consent_grant_id": renderer.consent.grant_id,
        "consent_document_sha256": renderer.consent.document_sha256,
    }
    signed = renderer.signer.sign_video(
        data,
        title=f"{video_id}.mp4",
        assertions=[
            {"label": CONSENT_LABEL, "data": consent},
            {"label": AIGC_LABEL, "data": json.loads(renderer.aigc.to_json())},
            {"label": SHORT_VIDEO_LABEL, "data": extra},
        ],
    )
    timings["c2pa"] = (time.perf_counter() - t) * 1000
    timings["total_wall"] = (time.perf_counter() - started) * 1000
    return ShortVideo(
        data=signed.data,
        manifest_id=signed.manifest_id,
        sha256=hashlib.sha256(signed.data).hexdigest(),
        size=len(signed.data),
        duration_s=plan.frame_count / cfg.fps,
        width=cfg.width,
        height=cfg.height,
        frame_count=plan.frame_count,
        watermark_id=f"{code:x}",
        aigc=renderer.aigc.to_json(),
        timings=timings,
    )


def _encode_audio(container: Any, stream: Any, planar: np.ndarray, start: int, end: int) -> int:
    """Encode the planar PCM from `start` in whole AAC frames up to `end` (the last, partial frame only when `end`
    is the end of the PCM); returns where it stopped. The muxer's edit list hides the encoder's priming."""
    import av

    layout = "stereo" if planar.shape[0] == 2 else "mono"
    offset = start
    while offset < end and (offset + _AAC_FRAME <= end or end == planar.shape[1]):
        frame = av.AudioFrame.from_ndarray(planar[:, offset : offset + _AAC_FRAME], format="fltp", layout=layout)
        frame.sample_rate = SAMPLE_RATE
        frame.pts = offset
        frame.time_base = Fraction(1, SAMPLE_RATE)
        container.mux(stream.encode(frame))
        offset += frame.samples
    return offset
