"""One stream's labelling and provenance pipeline: frames + PCM in, signed HLS fMP4 segments + ledger records out.

Order per segment (provenance.md §5, rules.md §12): visible label -> luma watermark -> H.264/AAC encode ->
container metadata (AIGC, in the init segment) -> C2PA signature. Any step that fails raises; nothing is published
unlabelled or unsigned.

A renderer (e.g. the lip-sync engine) feeds one segment at a time: `frames_per_segment` frames as RGB (h, w, 3) or
planar YUV 4:2:0 (h*3/2, w) uint8 arrays, plus `samples_per_segment` PCM samples (samples, channels).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from render.engine.c2pa_sign import ConsentReference, SegmentSigner
from render.engine.encode import EncoderSettings, SegmentEncoder, write_playlist
from render.engine.label import LabelCompositor, LabelSpec, to_yuv420
from render.engine.metadata import AigcLabel
from render.engine.watermark import LumaWatermarker, content_id_for


class PipelineError(ValueError):
    """Frames or audio that do not fit the stream's settings."""


@dataclass
class SegmentResult:
    data: bytes  # signed segment, as published
    uri: str
    record: dict[str, Any]  # what the ledger stores
    timings_ms: dict[str, float] = field(default_factory=dict)


class LabeledSegmentPipeline:
    """Labels, watermarks, encodes and signs consecutive 2 s segments of one stream."""

    def __init__(
        self,
        *,
        stream_id: str,
        consent: ConsentReference,
        signer: SegmentSigner,
        watermark_key: bytes,
        content_producer: str,
        settings: EncoderSettings | None = None,
        label: LabelSpec | None = None,
        output_dir: str | Path | None = None,
    ) -> None:
        self.stream_id = stream_id
        self.consent = consent
        self.signer = signer
        self.settings = settings or EncoderSettings()
        self.compositor = LabelCompositor(label)
        self.watermarker = LumaWatermarker(watermark_key)
        self.output_dir = Path(output_dir) if output_dir is not None else None
        started = time.perf_counter()
        self.aigc = AigcLabel(ContentProducer=content_producer, ProduceID=stream_id)
        self.encoder = SegmentEncoder(self.settings, metadata={"AIGC": self.aigc.to_json()})
        signed_init = signer.sign_init(
            self.encoder.init_segment, stream_id=stream_id, consent=consent, aigc_json=self.aigc.to_json()
        )
        self.init_segment = signed_init.data
        self.init_manifest_id = signed_init.manifest_id
        self.init_ms = (time.perf_counter() - started) * 1000
        # Render the label plates now, so a missing font or glyph stops the stream before its first frame.
        self.label_parameters = self.compositor.parameters(self.settings.width, self.settings.height)
        self._previous_manifest_id: str | None = None
        self._sequence = 0
        self._published: list[tuple[str, float]] = []
        if self.output_dir is not None:
            self.output_dir.mkdir(parents=True, exist_ok=True)
            (self.output_dir / "init.mp4").write_bytes(self.init_segment)

    def _to_yuv(self, frame: np.ndarray) -> np.ndarray:
        s = self.settings
        if frame.dtype != np.uint8:
            raise PipelineError(f"frames must be uint8, got {frame.dtype}")
        if frame.shape == (s.height, s.width, 3):
            return to_yuv420(frame)
        if frame.shape == (s.height * 3 // 2, s.width):
            return frame.copy()
        raise PipelineError(
            f"frame shape {frame.shape} is neither RGB ({s.height}, {s.width}, 3) nor YUV 4:2:0 "
            f"({s.height * 3 // 2}, {s.width})"
        )

    def write_segment(self, frames: list[np.ndarray], audio: np.ndarray | None = None) -> SegmentResult:
        s = self.settings
        if len(frames) != s.frames_per_segment:
            raise PipelineError(f"a segment needs {s.frames_per_segment} frames, got {len(frames)}")
        timings: dict[str, float] = {}
        sequence = self._sequence
        content_id = content_id_for(self.stream_id, sequence)
        first_frame = sequence * s.frames_per_segment

        t = time.perf_counter()
        planes = [self._to_yuv(f) for f in frames]
        timings["convert"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        for i, yuv in enumerate(planes):
            self.compositor.apply(yuv, t_seconds=(first_frame + i) / s.fps)
        timings["label"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        for yuv in planes:
            self.watermarker.embed_frame(yuv[: s.height], content_id)
        timings["watermark"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        encoded = self.encoder.encode_segment(planes, audio)
        timings["encode"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        signed = self.signer.sign_segment(
            encoded.data,
            stream_id=self.stream_id,
            sequence=sequence,
            previous_manifest_id=self._previous_manifest_id,
            consent=self.consent,
            extra={"watermark_content_id": f"{content_id:016x}"},
        )
        timings["c2pa"] = (time.perf_counter() - t) * 1000

        uri = f"seg_{sequence:06d}.m4s"
        record = {
            "stream_id": self.stream_id,
            "sequence": sequence,
            "uri": uri,
            "sha256": hashlib.sha256(signed.data).hexdigest(),
            "bytes": len(signed.data),
            "duration": encoded.duration,
            "video_frames": encoded.video_frames,
            "audio_samples": encoded.audio_samples,
            "manifest_id": signed.manifest_id,
            "previous_manifest_id": self._previous_manifest_id,
            "init_manifest_id": self.init_manifest_id,
            "watermark_content_id": f"{content_id:016x}",
            "aigc": self.aigc.to_json(),
            "label": self.label_parameters,
            "consent_grant_id": self.consent.grant_id,
        }
        self._previous_manifest_id = signed.manifest_id
        self._sequence += 1
        self._published.append((uri, encoded.duration))
        if self.output_dir is not None:
            (self.output_dir / uri).write_bytes(signed.data)
            self._write_playlist(ended=False)
        return SegmentResult(signed.data, uri, record, timings)

    def _write_playlist(self, *, ended: bool) -> None:
        if self.output_dir is None:
            return
        text = write_playlist(self._published, target_duration=self.settings.segment_seconds, ended=ended)
        tmp = self.output_dir / "index.m3u8.tmp"
        tmp.write_text(text)
        tmp.replace(self.output_dir / "index.m3u8")  # players never see a half-written playlist

    def close(self) -> None:
        self._write_playlist(ended=True)
        self.encoder.close()
