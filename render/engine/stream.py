"""The stream compositor: script lines in, labelled, watermarked, signed and resumable HLS segments out.

    renderer = StreamRenderer(avatar=assets, config=StreamConfig(), stream_id=..., consent=..., signer=...,
                              watermark_key=..., content_producer=...)
    plan = renderer.plan(lines)                       # TTS, mouth track, gestures, lip-sync path; refuses bad scripts
    init = renderer.init_segment()                    # ftyp+moov with AIGC metadata, C2PA signed
    seg = renderer.render_segment(plan, 0, previous_manifest_id=None)

**Plan** (deterministic, whole stream, before any segment exists): every line's intent is checked against its text
(`ScriptIntentError`), every line is synthesised (`UnspeakableText` names the line), the spoken AI disclosure opens
the audio, each part is loudness-normalised on its own (speech/loudness.py: −16 LUFS, true peak under −1 dBTP) and
the parts are joined at 48 kHz, the mouth track is derived from the viseme timings
and smoothed, the gesture timeline picks body frames (idle loop, gesture clips, cross-fades), and the lip-sync
geometry and the mouth-bank path (a Viterbi over the whole stream) are fixed for every frame. Nothing in a plan
depends on process state, so re-planning the same lines in another process gives the same plan (`fingerprint`).

**Segments are independent**: `render_segment(plan, n)` draws only frames of segment n, encodes them with fresh
encoders (`encode.IndependentSegmentEncoder`: the AAC encoder is warmed up on the audio just before the segment),
so a worker that replaces a dead one renders the very same segment n; only the C2PA signature (time, signature
bytes, manifest id) differs.

**Per frame** (YUV 4:2:0 from the start; RGB only on the face crop): the body frame comes from a cache of clip frames
already converted to YUV (cross-fades blend two of them); lip-sync runs on the lower-face crop only (viseme-warp:
thin-plate warp plus the bank mouth), and only that crop is converted RGB→YUV and pasted; then visible label
(with the opening notice for the first `opening_seconds`), luma watermark (content id from stream id and sequence),
H.264. Frames are produced on one thread while x264 encodes on another (x264 runs single-threaded here, so on a
2-core worker one core draws frames while the other encodes), PyAV, numpy, OpenCV and torch release the GIL.

**Segment layout**: signed media segments start with `ftyp` (c2pa-rs needs it; `styp` renamed, see c2pa_sign) and
then the C2PA manifest `uuid` box, before `moof`/`mdat`. hls.js 1.7.4 in Chromium 156 plays them as they are
(tests/render/engine/stream/test_hls_stream_plays_in_chromium.py), so no other layout is needed.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from render.engine.avatar.assets import AvatarAssets, BodyFrame
from render.engine.avatar.choreography import PlannedFrame, ScriptIntentError, check_line, plan_gestures
from render.engine.avatar.choreography import ScriptLine as TimedScriptLine
from render.engine.avatar.face import JAW_OVAL, apply_affine, invert_affine
from render.engine.avatar.framing import FramingError, frame_subject, framed_assets
from render.engine.avatar.warp import border_anchors, sample_pixels, to_image, tps_map
from render.engine.c2pa_sign import ConsentReference, InitBinding, SegmentSigner, SigningError, signed_manifest_id
from render.engine.encode import EncodedSegment, EncoderSettings, IndependentSegmentEncoder, yield_to_encoder
from render.engine.hls import PlaylistSegment, media_playlist
from render.engine.label import LabelCompositor, LabelError, LabelSpec, SafeArea
from render.engine.lipsync.params import MouthParams
from render.engine.lipsync.viseme_warp import _GEOMETRY_POINTS, VisemeWarpEngine
from render.engine.metadata import AigcLabel
from render.engine.options import (
    BITRATES,
    DISCLOSURE_LANGUAGES,
    ENGINES,
    LABEL_LANGUAGES,
    LINE_LANGUAGES,
    SUPPORTED_FPS,
    SUPPORTED_SIZES,
)
from render.engine.segment import DISCLOSURE_LINE_ID, SegmentRecord, SegmentResult
from render.engine.speech import DEFAULT_BACKEND, Speech, UnspeakableText, concatenate, stream_opening, synthesize
from render.engine.speech.loudness import normalized_speech
from render.engine.speech.mouth import mouth_track
from render.engine.speech.text import normalize_language
from render.engine.speech.visemes import MOUTH_SHAPES
from render.engine.speech.voice import VoiceChoice, VoiceChoiceError
from render.engine.watermark import LumaWatermarker, content_id_for
from render.engine.yuv import chroma_planes, rgb_to_yuv420

__all__ = [
    "DISCLOSURE_LINE_ID",
    "SUPPORTED_FPS",
    "SUPPORTED_SIZES",
    "ScriptIntentError",
    "ScriptLine",
    "SegmentRecord",
    "SegmentResult",
    "SignedInit",
    "StreamConfig",
    "StreamConfigError",
    "StreamPlan",
    "StreamRenderer",
    "UnspeakableScriptLine",
    "UnspeakableText",
    "rgb_to_yuv420",
]

SAMPLE_RATE = 48_000
LINE_PAUSE_S = 0.45  # between the disclosure and the first line, and between lines
TAIL_S = 0.5  # silence after the last line before the stream's last segment ends
# "At once" cut-ins (StreamRenderer.append(cut=True)): the interrupted speech goes on past the segment boundary to its
# next pause (a clause or sentence break in the TTS output) if one comes within CUT_MAX_CARRY_S, else it fades out.
CUT_MAX_CARRY_S = 1.0
# A cut at a frame (append(cut=True, at_frame=...), what the live runner makes between the parts of the segment it is
# rendering) is asked for "now": a pause further than this and the speech fades out instead (see docs/live-runner.md).
CUT_MAX_CARRY_AT_FRAME_S = 0.4
CUT_QUIET_S = 0.12  # this long under CUT_QUIET_RMS counts as a pause between clauses
CUT_QUIET_RMS = 0.006  # about -44 dBFS; the loudness-normalised speech sits near -16 LUFS
CUT_FADE_S = 0.06
CUT_PAUSE_S = 0.25  # between the cut and the interjection
# Gestures of a new block are planned against the lines of this many blocks before it (not the whole stream):
# bounded work per append, and a worker taking over that keeps the same blocks plans the same gestures.
CONTEXT_BLOCKS = 2


class StreamConfigError(ValueError):
    """Stream settings the platform does not render; `code` is stable, `message` says what is allowed."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class UnspeakableScriptLine(UnspeakableText):
    """A script line the TTS backend cannot speak; `line_id` names it, `reason` is the speech package's code."""

    def __init__(self, line_id: str, reason: str, message: str) -> None:
        super().__init__(reason, message)
        self.line_id = line_id


@dataclass(frozen=True)
class ScriptLine:
    line_id: str  # stable id from the Django side (goes into the ledger record)
    text: str
    language: str  # "zh" or "en"
    intent: str = "idle"  # follow, product, price, greet, thanks, idle, agree
    # This line's own speaking rate and pitch (the live host's tone, interaction/tone.py); None: the stream's.
    voice_rate: float | None = None
    voice_pitch: float | None = None

    def spoken_fields(self) -> dict[str, object]:
        """What the plan's fingerprint covers (a line without its own voice hashes as it did before it could)."""
        return {k: v for k, v in vars(self).items() if v is not None or k not in ("voice_rate", "voice_pitch")}


@dataclass(frozen=True)
class StreamConfig:
    width: int = 1280
    height: int = 720
    fps: int = 30
    segment_seconds: float = 2.0
    label_languages: str = "zh+en"  # visible label text; the label itself cannot be disabled
    disclosure_languages: str = "zh+en"  # spoken AI disclosure opening the stream
    rhythm_label: bool = False  # GB 45438 audio rhythm label before the spoken disclosure
    engine: str = "viseme-warp"  # or "onnx" (needs onnx_model_path)
    onnx_model_path: str | None = None
    device: str = "cpu"  # "cuda" when available
    tts_backend: str = DEFAULT_BACKEND
    voice: str | None = None  # the backend's preset (None: its default); the disclosure is spoken in it too
    voice_rate: float = 1.0  # speaking rate of the lines (speech/voice.py)
    voice_pitch: float = 1.0  # frequency ratio, lines and disclosure alike
    voice_consent_granted: bool = False
    label_corner: str = "top-left"  # inside the safe area
    label_safe_area: SafeArea | None = None  # None: the default for the orientation (label.default_safe_area)
    medium: str = "livestream"  # or "video" (a short video): what the spoken and visible opening notices name
    # Engine tuning (not part of the agreed interface; defaults are what the benchmarks use).
    video_bitrate: int | None = None  # None: 2.5 Mbps at 720p, 4.5 Mbps at 1080p
    preset: str = "veryfast"
    torch_threads: int = 1  # threads torch, BLAS and OpenCV use inside one frame (on CPU)
    # Threads drawing frames while x264 encodes (frames are independent of each other). One: drawing a 720p frame
    # costs under half of what x264 spends on it, so one thread keeps ahead, and a second only takes CPU from x264 on
    # a 2-core worker (pipeline / bare x264 at 1280x720: 0.79-0.82 with one, 0.70-0.74 with two, same quiet machine).
    frame_threads: int = 1
    frame_cache_mb: int = 600

    def __post_init__(self) -> None:
        size = (self.width, self.height)
        if size not in SUPPORTED_SIZES:
            allowed = ", ".join(f"{w}x{h}" for w, h in SUPPORTED_SIZES)
            raise StreamConfigError("unsupported_resolution", f"{self.width}x{self.height} is not offered: {allowed}")
        if self.fps not in SUPPORTED_FPS:
            allowed_fps = " or ".join(str(f) for f in SUPPORTED_FPS)
            raise StreamConfigError("unsupported_fps", f"{self.fps} fps is not offered: {allowed_fps}")
        seconds = self.segment_seconds
        if not (isinstance(seconds, int | float) and float(seconds).is_integer() and 1 <= seconds <= 6):
            raise StreamConfigError(
                "unsupported_segment_length", f"segments must last 1-6 whole seconds, not {seconds}"
            )
        if self.label_languages not in LABEL_LANGUAGES:
            raise StreamConfigError(
                "label_required",
                f"label_languages {self.label_languages!r}: the visible label always says 'AI生成' ('zh'), "
                "optionally with English ('zh+en'); it cannot be turned off",
            )
        if self.disclosure_languages not in DISCLOSURE_LANGUAGES:
            raise StreamConfigError(
                "disclosure_required",
                f"disclosure_languages {self.disclosure_languages!r}: the spoken disclosure always includes Mandarin "
                f"({', '.join(repr(x) for x in DISCLOSURE_LANGUAGES)}); it cannot be turned off",
            )
        if self.medium not in ("livestream", "video"):
            raise StreamConfigError("unknown_medium", f"medium {self.medium!r}: 'livestream' or 'video'")
        if self.engine not in ENGINES:
            allowed_engines = " or ".join(repr(e) for e in ENGINES)
            raise StreamConfigError("unknown_engine", f"lip-sync engine {self.engine!r}: {allowed_engines}")
        if self.engine == "onnx" and not self.onnx_model_path:
            raise StreamConfigError("onnx_model_missing", "the onnx engine needs onnx_model_path")
        if not (self.device == "cpu" or self.device.startswith("cuda")):
            raise StreamConfigError("unknown_device", f"device {self.device!r}: 'cpu' or 'cuda[:n]'")
        if self.frame_threads < 1:
            raise StreamConfigError("bad_threads", "frame_threads must be at least 1")
        if self.torch_threads < 1:
            raise StreamConfigError("bad_threads", "torch_threads must be at least 1")
        try:
            VoiceChoice(self.tts_backend, self.voice, self.voice_rate, self.voice_pitch).check()
        except VoiceChoiceError as exc:
            raise StreamConfigError(exc.code, exc.message) from exc
        self.label_spec()  # a placement outside the frame or the rules is refused with the settings

    @property
    def name(self) -> str:
        return f"{SUPPORTED_SIZES[(self.width, self.height)]}{self.fps}"

    def encoder_settings(self) -> EncoderSettings:
        return EncoderSettings(
            width=self.width,
            height=self.height,
            fps=self.fps,
            segment_seconds=int(self.segment_seconds),
            video_bitrate=self.video_bitrate or BITRATES[min(self.width, self.height)],
            preset=self.preset,
            sample_rate=SAMPLE_RATE,
            channels=2,
        )

    def label_spec(self) -> LabelSpec:
        english = "en" in self.label_languages.split("+")
        video = self.medium == "video"
        try:
            return LabelSpec(
                english="AI-generated" if english else None,
                opening_text="本视频由人工智能生成" if video else "本直播由人工智能生成",
                opening_english=(f"This {'video' if video else 'livestream'} is AI-generated" if english else None),
                corner=self.label_corner,  # type: ignore[arg-type]  # LabelSpec checks it
                safe_area=self.label_safe_area,
            )
        except LabelError as exc:
            raise StreamConfigError("bad_label_placement", str(exc)) from exc


@dataclass(frozen=True)
class SignedInit:
    data: bytes  # ftyp + moov (AIGC in moov/udta/meta), C2PA signed
    manifest_id: str
    aigc: str  # the GB 45438 Annex E JSON written into it


@dataclass(frozen=True)
class StreamPlan:
    """Everything about a stream that does not need pixels; re-planning the same lines (and the same appends, at the
    same sequences) gives the same plan, down to the `fingerprint`.

    A plan grows by blocks: `StreamRenderer.plan(lines)` makes the first (the spoken disclosure, then the lines),
    `StreamRenderer.append(plan, lines, not_before=n)` returns a longer plan whose new block starts at a segment
    boundary at or after segment `n` and after the previous speech. Every frame and sample before that boundary is
    the previous plan's, so the segments already rendered stay valid and a resumed stream renders the same bytes.
    """

    stream_id: str
    config: StreamConfig
    lines: tuple[ScriptLine, ...]  # every script line in order, appended ones included (not the disclosure)
    segment_count: int
    frame_count: int
    duration_s: float  # segment_count segments: what the playlist adds up to
    speech_end_s: float  # where the last line (or the disclosure) ends
    line_spans: dict[str, tuple[float, float]]  # line_id -> (start_s, end_s), DISCLOSURE_LINE_ID first
    disclosure_span: tuple[float, float]
    blocks: tuple[tuple[int, tuple[str, ...]], ...]  # (first sequence, line ids) of the plan and of every append
    pcm: NDArray[np.float32]  # 48 kHz mono, segment_count segments long
    gestures: tuple[PlannedFrame, ...]
    mouth: MouthParams  # per frame, smoothed (what the lips show)
    landmarks: NDArray[np.float32]  # per frame body landmarks (pixels) after cross-fades
    to_px: NDArray[np.float32]
    targets: NDArray[np.float32]  # per frame canonical target landmarks (viseme-warp), else empty
    units: NDArray[np.int64]  # per frame mouth-bank entry (viseme-warp), else empty
    fingerprint: str = field(default="")
    # The first segment whose frames and samples the plan still holds (`trim`, `resume`): the arrays above start
    # there, so a day-long stream's plan holds only the blocks not yet fully rendered and a little context.
    base_segment: int = 0
    # "At once" cut-ins: (segment the cut-in block starts at, line id, seconds of it heard) per line cut short (or
    # dropped before it began: 0.0 heard) by an interjection.
    cuts: tuple[tuple[int, str, float], ...] = ()

    @property
    def frames_per_segment(self) -> int:
        return self.config.fps * int(self.config.segment_seconds)

    @property
    def samples_per_segment(self) -> int:
        return SAMPLE_RATE * int(self.config.segment_seconds)

    @property
    def base_frame(self) -> int:
        return self.base_segment * self.frames_per_segment

    @property
    def base_sample(self) -> int:
        return self.base_segment * self.samples_per_segment

    def segment_span(self, sequence: int) -> tuple[float, float]:
        seconds = float(self.config.segment_seconds)
        return sequence * seconds, (sequence + 1) * seconds

    def segment_line_ids(self, sequence: int) -> list[str]:
        """Spoken lines heard (even partly) in segment `sequence`, the disclosure included, in the order spoken."""
        a, b = self.segment_span(sequence)
        return [line_id for line_id, (s, e) in self.line_spans.items() if s < b and e > a]


@dataclass(frozen=True)
class _Block:
    """One planned block of frames and samples (what `plan` or one `append` adds), from `first_frame` on."""

    first_frame: int
    pcm: NDArray[np.float32]
    gestures: tuple[PlannedFrame, ...]
    mouth: MouthParams
    landmarks: NDArray[np.float32]
    to_px: NDArray[np.float32]
    targets: NDArray[np.float32]
    units: NDArray[np.int64]
    spans: dict[str, tuple[float, float]]  # stream time
    speech_end_s: float
    lead_segments: int  # silent segments before the block's speech


def _even_box(x0: int, y0: int, x1: int, y1: int, frame_size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The box widened to even corners (4:2:0 chroma covers 2×2 blocks) and clipped to the (even-sized) frame."""
    w, h = frame_size
    return max(x0, 0) // 2 * 2, max(y0, 0) // 2 * 2, min(-(-x1 // 2) * 2, w), min(-(-y1 // 2) * 2, h)


def _paste_yuv(frame: NDArray[np.uint8], roi: NDArray[np.uint8], x0: int, y0: int) -> None:
    """Write a planar YUV 4:2:0 crop (even origin and size) into a planar YUV 4:2:0 frame."""
    rh, rw = roi.shape[0] * 2 // 3, roi.shape[1]
    frame[y0 : y0 + rh, x0 : x0 + rw] = roi[:rh]
    fu, fv = chroma_planes(frame)
    ru, rv = chroma_planes(roi)
    fu[y0 // 2 : (y0 + rh) // 2, x0 // 2 : (x0 + rw) // 2] = ru
    fv[y0 // 2 : (y0 + rh) // 2, x0 // 2 : (x0 + rw) // 2] = rv


# --- lip-sync on the face crop ----------------------------------------------------------------------------------


class _CropWarpEngine(VisemeWarpEngine):
    """viseme-warp drawing into the lower-face crop only (same steps as `render_frame`, no full-frame copy)."""

    def render_crop(
        self,
        crop: NDArray[np.uint8],
        origin: tuple[int, int],
        frame_size: tuple[int, int],
        landmarks: NDArray[np.float32],
        to_px: NDArray[np.float32],
        target: NDArray[np.float64],
        unit: int,
    ) -> tuple[int, int, NDArray[np.uint8]] | None:
        """(x0, y0, RGB region) with even x0, y0 and size, or None when the face is too small to touch."""
        import torch

        w, h = frame_size
        cx, cy = origin
        m = to_px.astype(np.float64)
        iod = float(np.sqrt(abs(np.linalg.det(m[:, :2]))))
        canon = apply_affine(invert_affine(m), landmarks)
        src = apply_affine(m, canon[_GEOMETRY_POINTS])
        dst = apply_affine(m, target[_GEOMETRY_POINTS])
        jaw_px = apply_affine(m, canon[list(JAW_OVAL)])
        pts = np.vstack([src, dst, jaw_px])
        margin = 0.25 * iod
        x0, y0, x1, y1 = _even_box(
            int(np.floor(pts[:, 0].min() - margin)),
            int(np.floor(pts[:, 1].min() - margin)),
            int(np.ceil(pts[:, 0].max() + margin)),
            int(np.ceil(pts[:, 1].max() + margin)),
            (w, h),
        )
        rw, rh = x1 - x0, y1 - y0
        if rw < 8 or rh < 8:
            return None
        ch, cw = crop.shape[:2]
        if x0 < cx or y0 < cy or x1 > cx + cw or y1 > cy + ch:
            raise _CropTooSmall
        region = crop[y0 - cy : y1 - cy, x0 - cx : x1 - cx]
        roi = torch.from_numpy(np.ascontiguousarray(region)).to(self.device).permute(2, 0, 1).float()
        anchors = border_anchors(x0, y0, rw, rh, max(0.3 * iod, 8.0))
        coords = tps_map(
            np.vstack([dst, anchors]), np.vstack([src, anchors]), x0, y0, rw, rh, stride=8, device=self.device
        )
        coords = coords - torch.tensor([x0, y0], dtype=coords.dtype, device=self.device)
        warped = sample_pixels(roi, coords)
        result = self.compose_mouth(
            roi,
            warped,
            m=m,
            target=target,
            unit=unit,
            region=(x0, y0, rw, rh),
            iod=iod,
            src=src,
            dst=dst,
            mouth_stride=8,
        )
        return x0, y0, to_image(result)


class _CropTooSmall(Exception):  # noqa: N818 - internal signal: fall back to the full frame
    pass


# --- body frames ------------------------------------------------------------------------------------------------


class _BodyCache:
    """Clip frames as (YUV 4:2:0 full frame, RGB face crop), decoded and converted once, LRU-bounded by bytes."""

    def __init__(self, assets: AvatarAssets, budget_bytes: int) -> None:
        self.assets = assets
        w, h = assets.frame_size
        self.frame_size = (w, h)
        # One crop box for the whole avatar: every face landmark of every clip plus a margin for the warp.
        pts = np.concatenate([c.landmarks[:, :, :2].reshape(-1, 2) for c in assets.clips.values()])
        iod = max(
            float(np.sqrt(abs(np.linalg.det(c.to_px[0, :, :2].astype(np.float64))))) for c in assets.clips.values()
        )
        self.box = _even_box(
            int(pts[:, 0].min() - 0.8 * iod),
            int(pts[:, 1].min() - 0.8 * iod),
            int(pts[:, 0].max() + 0.8 * iod),
            int(pts[:, 1].max() + 1.2 * iod),
            (w, h),
        )
        self.budget = budget_bytes
        self.used = 0
        self._cache: OrderedDict[tuple[str, int], tuple[NDArray[np.uint8], NDArray[np.uint8]]] = OrderedDict()
        self._lock = threading.Lock()
        self._decode_lock = threading.Lock()

    def get(self, clip_name: str, index: int) -> tuple[NDArray[np.uint8], NDArray[np.uint8]]:
        clip = self.assets.clips[clip_name]
        key = (clip_name, index % len(clip))
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        with self._decode_lock:  # Clip's own LRU is not thread-safe
            rgb = clip.frame(key[1])
        x0, y0, x1, y1 = self.box
        entry = (rgb_to_yuv420(rgb), np.ascontiguousarray(rgb[y0:y1, x0:x1]))
        for a in entry:
            a.flags.writeable = False
        with self._lock:
            self._cache[key] = entry
            self.used += entry[0].nbytes + entry[1].nbytes
            while self.used > self.budget and len(self._cache) > 1:
                _, old = self._cache.popitem(last=False)
                self.used -= old[0].nbytes + old[1].nbytes
        return entry

    def body(self, p: PlannedFrame) -> tuple[NDArray[np.uint8], NDArray[np.uint8]]:
        """A writable YUV frame and the RGB face crop of a planned (possibly cross-faded) body frame."""
        import cv2

        yuv_a, crop_a = self.get(p.a, p.a_index)
        if not p.b or p.mix <= 0:
            return yuv_a.copy(), crop_a
        yuv_b, crop_b = self.get(p.b, p.b_index)
        m = float(p.mix)
        yuv: Any = cv2.addWeighted(yuv_a, 1.0 - m, yuv_b, m, 0.0)
        crop: Any = cv2.addWeighted(crop_a, 1.0 - m, crop_b, m, 0.0)
        return np.asarray(yuv, np.uint8), np.asarray(crop, np.uint8)

    def full_rgb(self, p: PlannedFrame) -> NDArray[np.uint8]:
        """The whole RGB body frame (slow path: the onnx engine and faces that leave the crop box)."""
        with self._decode_lock:
            a = self.assets.clips[p.a].frame(p.a_index)
            b = self.assets.clips[p.b].frame(p.b_index) if p.b and p.mix > 0 else a
        if not p.b or p.mix <= 0:
            return np.array(a)
        m = float(p.mix)
        return (a.astype(np.float32) * (1 - m) + b.astype(np.float32) * m + 0.5).astype(np.uint8)


# --- the renderer -----------------------------------------------------------------------------------------------


def _blended_geometry(
    gestures: Sequence[PlannedFrame], assets: AvatarAssets
) -> tuple[NDArray[np.float32], NDArray[np.float32], NDArray[np.float32]]:
    n = len(gestures)
    landmarks = np.empty((n, 478, 3), np.float32)
    to_px = np.empty((n, 2, 3), np.float32)
    shapes = np.empty((n, 3), np.float32)
    for i, p in enumerate(gestures):
        a = assets.clips[p.a]
        ia = p.a_index % len(a)
        if not p.b or p.mix <= 0:
            landmarks[i], to_px[i], shapes[i] = a.landmarks[ia], a.to_px[ia], a.shapes[ia]
            continue
        b = assets.clips[p.b]
        ib = p.b_index % len(b)
        m = float(p.mix)
        landmarks[i] = a.landmarks[ia] * (1 - m) + b.landmarks[ib] * m
        to_px[i] = a.to_px[ia] * (1 - m) + b.to_px[ib] * m
        shapes[i] = a.shapes[ia] * (1 - m) + b.shapes[ib] * m
    return landmarks, to_px, shapes


class StreamRenderer:
    """Renders one stream's segments; holds the models, encoders' settings and caches (one per worker and stream)."""

    def __init__(
        self,
        *,
        avatar: AvatarAssets,
        config: StreamConfig,
        stream_id: str,
        consent: ConsentReference,
        signer: SegmentSigner,
        watermark_key: bytes,
        content_producer: str,
    ) -> None:
        w, h = avatar.frame_size
        if w * config.height != h * config.width:
            # Another shape than the sample's (portrait from landscape footage): frame the subject from the face
            # found at build; a sample that cannot be framed stops here, before anything is rendered.
            try:
                avatar = framed_assets(avatar, frame_subject(avatar, config.width, config.height))
            except FramingError as exc:
                raise StreamConfigError(exc.code, exc.message) from exc
        if not stream_id:
            raise StreamConfigError("stream_id_missing", "stream_id is empty")
        self.avatar = avatar
        self.config = config
        self.stream_id = stream_id
        self.consent = consent
        self.signer = signer
        self.settings = config.encoder_settings()
        self.label = LabelCompositor(config.label_spec())
        # Rasterise the label plates now: a missing font or glyph stops the stream before its first frame.
        self.label_parameters = self.label.parameters(config.width, config.height)
        self.watermarker = LumaWatermarker(watermark_key)
        self.aigc = AigcLabel(ContentProducer=content_producer, ProduceID=stream_id)
        self.encoder = IndependentSegmentEncoder(self.settings, metadata={"AIGC": self.aigc.to_json()})
        self._init: SignedInit | None = None
        self._bodies = _BodyCache(avatar, config.frame_cache_mb * 1024 * 1024)
        self._warp: _CropWarpEngine | None = None
        self._onnx: Any = None
        self._onnx_mel: dict[str, NDArray[np.float32]] = {}
        if config.engine == "viseme-warp":
            self._warp = _CropWarpEngine(avatar, device=config.device, threads=None)
        else:
            from render.engine.lipsync.onnx_engine import OnnxLipSyncEngine

            self._onnx = OnnxLipSyncEngine(str(config.onnx_model_path), threads=None)
        if config.device == "cpu":
            import cv2
            import torch
            from threadpoolctl import threadpool_limits

            # Per-frame work is face-sized; more threads only spin against x264 on the other core (an OpenBLAS
            # solve of the spline took 8 ms with its default threads instead of 0.5 ms). Process-wide, on purpose:
            # a render worker process renders; entering threadpoolctl per frame costs ~3 ms of library scanning.
            torch.set_num_threads(config.torch_threads)
            threadpool_limits(limits=config.torch_threads)
            # OpenCV's own pool too: it split the watermark's and the converter's full-frame passes across both
            # cores, so half of each ran against x264 and the frame thread waited for it.
            cv2.setNumThreads(config.torch_threads)

    # -- plan -----------------------------------------------------------------------------------------------------
    def plan(self, lines: Sequence[ScriptLine]) -> StreamPlan:
        """The stream's first block: the spoken disclosure, then `lines`; refuses a bad script before any TTS."""
        lines = tuple(lines)
        if not lines:
            raise ScriptIntentError("empty_script", "a stream needs at least one script line")
        self._check_lines(lines, taken=())
        block = self._plan_block(lines, earlier=(), first_frame=0, lead_segments=0, opening=True)
        digest = hashlib.sha256()
        digest.update(json.dumps([self.stream_id, _config_key(self.config)]).encode())
        return self._joined(None, block, lines, digest)

    def append(
        self,
        plan: StreamPlan,
        lines: Sequence[ScriptLine],
        *,
        not_before: int,
        cut: bool = False,
        at_frame: int | None = None,
    ) -> StreamPlan:
        """`plan` grown by `lines` (script lines, an operator's interjection, an FAQ answer), spoken from the first
        segment boundary at or after segment `not_before` (the next one not rendered yet) that leaves a pause after
        the speech already planned. Segments before that boundary are unchanged; the same appends at the same
        `not_before` give the same plan, so a resumed stream re-plans its appends and renders the same bytes.

        `cut` (an "at once" interjection): the block starts AT segment `not_before` even while a line is being
        spoken. Segments are encoded independently and those before `not_before` may be on air already, so the cut
        cannot come before that boundary; from it the interrupted speech goes on to its next pause (a clause or
        sentence break) within CUT_MAX_CARRY_S, or fades out there, then `lines` follow after CUT_PAUSE_S. The
        lines cut short, or planned but not begun, are in the returned plan's `cuts` (the caller decides what is
        said again). The spoken AI disclosure is never cut: the block then starts after it.

        `at_frame` (with `cut`): the cut is made at that frame of segment `not_before` or later instead of at a
        segment boundary: what a live runner rendering a segment a part at a time asks for, the frames before it
        being encoded (and maybe on air) already. The speech goes on to a pause within CUT_MAX_CARRY_AT_FRAME_S or
        fades out; a cut at a frame where nothing is being said starts the lines there. The plan before `at_frame`
        is unchanged, frame for frame and sample for sample."""
        if plan.stream_id != self.stream_id or plan.config != self.config:
            raise StreamConfigError("plan_mismatch", "the plan was made for another stream or other settings")
        lines = tuple(lines)
        if not lines:
            raise ScriptIntentError("empty_script", "an append needs at least one script line")
        if not_before < plan.base_segment:
            raise StreamConfigError("no_such_segment", f"segment {not_before} is before the plan's first segment")
        self._check_lines(lines, taken=(DISCLOSURE_LINE_ID, *(line.line_id for line in plan.lines)))
        seconds = int(self.config.segment_seconds)
        first = self.next_line_segment(plan, not_before=not_before)
        if at_frame is not None:
            if not cut:
                raise StreamConfigError("cut_frame_without_cut", "at_frame is for an at-once cut (cut=True)")
            if not not_before * plan.frames_per_segment <= at_frame < (not_before + 1) * plan.frames_per_segment:
                raise StreamConfigError("no_such_frame", f"frame {at_frame} is not in segment {not_before}")
            fps = self.config.fps
            after_disclosure = math.ceil((plan.disclosure_span[1] + LINE_PAUSE_S) * fps - 1e-9)
            cut_frame = max(at_frame, after_disclosure if plan.disclosure_span[1] > 0 else 0)
            if cut_frame < plan.frame_count:
                return self._cut_in(plan, lines, cut_frame, max_carry_s=CUT_MAX_CARRY_AT_FRAME_S)
        elif cut:
            after_disclosure = math.ceil((plan.disclosure_span[1] + LINE_PAUSE_S) / seconds - 1e-9)
            cut_at = max(not_before, after_disclosure if plan.disclosure_span[1] > 0 else 0)
            if cut_at < first and cut_at < plan.segment_count:
                return self._cut_in(plan, lines, cut_at * plan.frames_per_segment, max_carry_s=CUT_MAX_CARRY_S)
        # Past the end of the plan (a live stream that idled): the block starts at the end, silent until `first`.
        start = min(first, plan.segment_count)
        block = self._plan_block(
            lines,
            earlier=_context(plan),
            first_frame=start * plan.frames_per_segment,
            lead_segments=first - start,
            opening=False,
        )
        digest = hashlib.sha256(plan.fingerprint.encode())
        return self._joined(plan, block, lines, digest)

    def next_line_segment(self, plan: StreamPlan, *, not_before: int) -> int:
        """The segment whose start a line appended now (without `cut`) is first heard at: the first boundary at or
        after `not_before` that leaves LINE_PAUSE_S after the speech already planned. What a caller asks before it
        appends, e.g. how long a viewer's answer would wait (streaming.runner.answer_lines)."""
        seconds = int(self.config.segment_seconds)
        return max(not_before, math.ceil((plan.speech_end_s + LINE_PAUSE_S) / seconds - 1e-9))

    def _cut_in(
        self, plan: StreamPlan, lines: tuple[ScriptLine, ...], first_frame: int, *, max_carry_s: float
    ) -> StreamPlan:
        """`lines` cutting in at frame `first_frame` (a segment boundary, or any frame for append(at_frame=...)),
        inside the plan (append(cut=True))."""
        frame_samples = SAMPLE_RATE // self.config.fps
        cut_at = first_frame // plan.frames_per_segment
        boundary = first_frame * frame_samples - plan.base_sample
        limit = round(max_carry_s * SAMPLE_RATE)
        tail = plan.pcm[boundary : boundary + limit]
        carry_n = _first_pause(tail)
        carry = np.array(tail[:carry_n], np.float32)
        if carry_n == len(tail) and carry_n:  # no pause close enough: fade the speech out instead of clipping it
            fade = min(round(CUT_FADE_S * SAMPLE_RATE), carry_n)
            carry[-fade:] *= np.linspace(1.0, 0.0, fade, dtype=np.float32)
        # The interjection starts on a frame: audio and mouth stay in step.
        lead_in = -(-(carry_n + round(CUT_PAUSE_S * SAMPLE_RATE)) // frame_samples) * frame_samples
        carry_frames = -(-carry_n // frame_samples)
        rel = first_frame - plan.base_frame
        carry_mouth = np.stack(
            [
                plan.mouth.jaw_open[rel : rel + carry_frames],
                plan.mouth.lip_width[rel : rel + carry_frames],
                plan.mouth.lip_round[rel : rel + carry_frames],
            ],
            axis=1,
        )
        cut_s = first_frame / self.config.fps + carry_n / SAMPLE_RATE
        cuts = tuple(
            (cut_at, line_id, max(cut_s - s, 0.0))
            for line_id, (s, e) in plan.line_spans.items()
            # A line whose speech ended in the pause found (its trailing quiet) was heard whole.
            if line_id != DISCLOSURE_LINE_ID and e > cut_s + 2 * CUT_QUIET_S
        )
        cut_ids = {line_id for _, line_id, _ in cuts}
        # What was heard of the interrupted line ends at the cut; lines not begun yet are not in the plan any more.
        spans = {k: (s, min(e, cut_s)) for k, (s, e) in plan.line_spans.items() if not (k in cut_ids and s >= cut_s)}
        kept_lines = tuple(line for line in plan.lines if line.line_id in spans)
        shortened = replace(plan, line_spans=spans, lines=kept_lines, speech_end_s=min(plan.speech_end_s, cut_s))
        block = self._plan_block(
            lines,
            earlier=_context(shortened),
            first_frame=first_frame,
            lead_segments=0,
            opening=False,
            carry=(carry, carry_mouth, lead_in),
        )
        digest = hashlib.sha256(plan.fingerprint.encode())
        # A segment-boundary cut keeps the fingerprint it had before cuts could be made at any frame.
        where: int | list[int] = cut_at if first_frame % plan.frames_per_segment == 0 else [cut_at, first_frame]
        digest.update(json.dumps(["cut", where, carry_n]).encode())
        joined = self._joined(shortened, block, lines, digest)
        return replace(joined, cuts=plan.cuts + cuts)

    def resume(self, lines: Sequence[ScriptLine], *, spoken_from: int) -> StreamPlan:
        """A plan that starts with a block appended earlier at `spoken_from` (its lines spoken from that segment):
        what a worker taking over a long stream plans first, instead of every block since the stream began. The
        segments before `spoken_from` are not in it (they were rendered and published)."""
        lines = tuple(lines)
        if not lines:
            raise ScriptIntentError("empty_script", "a stream needs at least one script line")
        if spoken_from < 1:
            return self.plan(lines)
        self._check_lines(lines, taken=())
        block = self._plan_block(
            lines,
            earlier=(),
            first_frame=spoken_from * self.settings.frames_per_segment,
            lead_segments=0,
            opening=False,
        )
        digest = hashlib.sha256()
        digest.update(json.dumps([self.stream_id, _config_key(self.config), "resumed", spoken_from]).encode())
        return self._joined(None, block, lines, digest)

    def trim(self, plan: StreamPlan, from_segment: int) -> StreamPlan:
        """`plan` without what comes before the block spoken from `from_segment` (a block boundary, everything before
        it rendered): the frames, samples and lines a long stream no longer needs. Segments from `from_segment` on
        render as before."""
        starts = [first for first, _ in plan.blocks]
        if from_segment <= plan.base_segment:
            return plan
        if from_segment not in starts:
            raise StreamConfigError("not_a_block_start", f"segment {from_segment} does not start a block of the plan")
        frames = from_segment * plan.frames_per_segment - plan.base_frame
        samples = from_segment * plan.samples_per_segment - plan.base_sample
        # The last block spoken from there: a block cut off before it began can share its first segment.
        blocks = plan.blocks[max(i for i, first in enumerate(starts) if first == from_segment) :]
        kept = {line_id for _, ids in blocks for line_id in ids}
        return replace(
            plan,
            base_segment=from_segment,
            lines=tuple(line for line in plan.lines if line.line_id in kept),
            line_spans={k: v for k, v in plan.line_spans.items() if k in kept},
            blocks=blocks,
            pcm=plan.pcm[samples:].copy(),
            gestures=plan.gestures[frames:],
            mouth=MouthParams(
                plan.mouth.jaw_open[frames:], plan.mouth.lip_width[frames:], plan.mouth.lip_round[frames:]
            ),
            landmarks=plan.landmarks[frames:].copy(),
            to_px=plan.to_px[frames:].copy(),
            targets=plan.targets[frames:].copy() if len(plan.targets) else plan.targets,
            units=plan.units[frames:].copy() if len(plan.units) else plan.units,
            cuts=tuple(c for c in plan.cuts if c[0] >= from_segment),
        )

    def _check_lines(self, lines: Sequence[ScriptLine], *, taken: Sequence[str]) -> None:
        seen: set[str] = set(taken) | {DISCLOSURE_LINE_ID}
        for line in lines:
            if not line.line_id or line.line_id in seen:
                raise ScriptIntentError("duplicate_line_id", f"line id {line.line_id!r} is empty, reserved or repeated")
            seen.add(line.line_id)
            try:
                language = normalize_language(line.language)
            except UnspeakableText as exc:
                raise UnspeakableScriptLine(line.line_id, exc.reason, f"line {line.line_id}: {exc.message}") from exc
            if language not in LINE_LANGUAGES:
                raise UnspeakableScriptLine(
                    line.line_id,
                    "unsupported_language",
                    f"line {line.line_id}: language {line.language!r} is not offered ({', '.join(LINE_LANGUAGES)})",
                )
            if line.voice_rate is not None or line.voice_pitch is not None:
                cfg = self.config
                own = VoiceChoice(
                    cfg.tts_backend,
                    cfg.voice,
                    cfg.voice_rate if line.voice_rate is None else line.voice_rate,
                    cfg.voice_pitch if line.voice_pitch is None else line.voice_pitch,
                )
                try:
                    own.check()
                except VoiceChoiceError as exc:
                    raise StreamConfigError(exc.code, f"line {line.line_id}: {exc.message}") from exc
            # Contradictions first: they cost nothing to find and make the TTS pointless.
            check_line(TimedScriptLine(line.line_id, line.text, line.intent, 0.0, 0.0))

    def _plan_block(
        self,
        lines: tuple[ScriptLine, ...],
        *,
        earlier: tuple[TimedScriptLine, ...],
        first_frame: int,
        lead_segments: int,
        opening: bool,
        carry: tuple[NDArray[np.float32], NDArray[np.float32], int] | None = None,
    ) -> _Block:
        """Speech, mouth, gestures and lip-sync path of one block, in stream time from `first_frame` on, silent
        for `lead_segments` segments before its speech. `carry` (a cut-in): the interrupted speech's samples and
        mouth frames that open the block, and where (in samples, a whole frame) its own speech starts."""
        cfg = self.config
        spoken: list[Speech] = []
        for line in lines:
            try:
                spoken.append(
                    synthesize(
                        line.text,
                        language=line.language,
                        voice=cfg.voice,
                        backend=cfg.tts_backend,
                        speed=cfg.voice_rate if line.voice_rate is None else line.voice_rate,
                        pitch=cfg.voice_pitch if line.voice_pitch is None else line.voice_pitch,
                        voice_consent_granted=cfg.voice_consent_granted,
                    )
                )
            except UnspeakableText as exc:
                raise UnspeakableScriptLine(line.line_id, exc.reason, f"line {line.line_id}: {exc.message}") from exc
        parts = list(spoken)
        ids = [line.line_id for line in lines]
        if opening:
            notice = stream_opening(
                cfg.disclosure_languages,
                rhythm=cfg.rhythm_label,
                sample_rate=SAMPLE_RATE,
                medium=cfg.medium,
                backend=cfg.tts_backend,
                voice=cfg.voice,
                pitch=cfg.voice_pitch,
                voice_consent_granted=cfg.voice_consent_granted,
            )
            parts.insert(0, notice)
            ids.insert(0, DISCLOSURE_LINE_ID)
        # Loudness per utterance, from each one's own TTS output (a live stream has no end to measure up to).
        parts = [normalized_speech(part, SAMPLE_RATE) for part in parts]
        speech = concatenate(parts, pause_s=LINE_PAUSE_S, sample_rate=SAMPLE_RATE)

        settings = self.settings
        seconds = int(cfg.segment_seconds)
        carried = 0 if carry is None else carry[2]  # samples before this block's own speech (a cut-in's carry)
        lead_frames = lead_segments * cfg.fps * seconds + carried * cfg.fps // SAMPLE_RATE
        lead_samples = lead_segments * settings.samples_per_segment + carried
        # Where each part landed (concatenate resamples each part to ceil(n * 48000 / rate) samples).
        offset = (first_frame + lead_frames) / cfg.fps
        pause = round(LINE_PAUSE_S * SAMPLE_RATE)
        position = 0
        spans: dict[str, tuple[float, float]] = {}
        for line_id, part in zip(ids, parts, strict=True):
            n = (
                len(part.pcm)
                if part.sample_rate == SAMPLE_RATE
                else -(-len(part.pcm) * SAMPLE_RATE // part.sample_rate)
            )
            spans[line_id] = (offset + position / SAMPLE_RATE, offset + (position + n) / SAMPLE_RATE)
            position += n + pause

        speech_s = carried / SAMPLE_RATE + speech.duration_s
        # A block cut in at a frame inside a segment still ends at a segment boundary (the plan is whole segments).
        into = first_frame % (cfg.fps * seconds)
        segment_count = lead_segments + max(math.ceil((speech_s + TAIL_S + into / cfg.fps) / seconds), 1)
        frames = segment_count * cfg.fps * seconds - into
        pcm = np.zeros(frames * (SAMPLE_RATE // cfg.fps), np.float32)
        pcm[lead_samples : lead_samples + len(speech.pcm)] = speech.pcm
        if carry is not None:
            pcm[: len(carry[0])] = carry[0]

        track = mouth_track(speech, cfg.fps)[: frames - lead_frames]
        rest = MOUTH_SHAPES["sil"]
        padded = np.tile(np.array([rest.jaw_open, rest.lip_width, rest.lip_round], np.float32), (frames, 1))
        padded[lead_frames : lead_frames + len(track)] = track
        if carry is not None:
            padded[: len(carry[1])] = carry[1]
        mouth = MouthParams(padded[:, 0], padded[:, 1], padded[:, 2])

        # Gestures in stream time over every line so far, so a gesture and the idle loop continue across blocks.
        timed = [TimedScriptLine(line.line_id, line.text, line.intent, *spans[line.line_id]) for line in lines]
        gestures = tuple(
            plan_gestures([*earlier, *timed], self.avatar, cfg.fps, first_frame + frames, first_frame=first_frame)
        )
        landmarks, to_px, shapes = _blended_geometry(gestures, self.avatar)

        targets = np.zeros((0, 478, 2), np.float32)
        units = np.zeros(0, np.int64)
        if self._warp is not None:
            from render.engine.lipsync.unit_selection import select_units

            mouth = mouth.smoothed(self._warp.coarticulation_frames)
            bodies = [BodyFrame(_NO_IMAGE, landmarks[i], to_px[i], shapes[i]) for i in range(frames)]
            found = self._warp.targets(bodies, mouth)
            targets = np.stack([t.canon for t in found]).astype(np.float32)
            units = select_units(
                self.avatar.bank, np.stack([t.features for t in found]), appearance=self._warp._appearance
            )
        return _Block(
            first_frame=first_frame,
            pcm=pcm,
            gestures=gestures,
            mouth=mouth,
            landmarks=landmarks,
            to_px=to_px,
            targets=targets,
            units=units,
            spans=spans,
            speech_end_s=offset + speech.duration_s,
            lead_segments=lead_segments,
        )

    def _joined(self, plan: StreamPlan | None, block: _Block, lines: tuple[ScriptLine, ...], digest: Any) -> StreamPlan:
        """`plan`'s frames before the block, then the block; the fingerprint chains over every block."""
        cfg = self.config
        first_sequence = block.first_frame // (cfg.fps * int(cfg.segment_seconds))
        base = first_sequence if plan is None else plan.base_segment
        keep = block.first_frame - base * cfg.fps * int(cfg.segment_seconds)  # into the plan's arrays

        def cat(before: NDArray[Any] | None, after: NDArray[Any]) -> NDArray[Any]:
            return after if before is None else np.concatenate([before[:keep], after])

        # Whole frames (a cut-in may start at any frame): the samples before the block's first frame.
        keep_samples = keep * (SAMPLE_RATE // cfg.fps)
        pcm = block.pcm if plan is None else np.concatenate([plan.pcm[:keep_samples], block.pcm])
        mouth = (
            block.mouth
            if plan is None
            else MouthParams(
                cat(plan.mouth.jaw_open, block.mouth.jaw_open),
                cat(plan.mouth.lip_width, block.mouth.lip_width),
                cat(plan.mouth.lip_round, block.mouth.lip_round),
            )
        )
        gestures = block.gestures if plan is None else plan.gestures[:keep] + block.gestures
        landmarks = cat(None if plan is None else plan.landmarks, block.landmarks)
        to_px = cat(None if plan is None else plan.to_px, block.to_px)
        targets = cat(None if plan is None else plan.targets, block.targets)
        units = cat(None if plan is None else plan.units, block.units)
        frame_count = block.first_frame + len(block.gestures)
        line_spans = {**(plan.line_spans if plan is not None else {}), **block.spans}
        disclosure_span = plan.disclosure_span if plan is not None else line_spans.get(DISCLOSURE_LINE_ID, (0.0, 0.0))

        spoken_from = first_sequence + block.lead_segments
        digest.update(json.dumps([spoken_from, [x.spoken_fields() for x in lines]]).encode())
        arrays: tuple[NDArray[Any], ...] = (
            block.pcm,
            block.mouth.jaw_open,
            block.mouth.lip_width,
            block.mouth.lip_round,
            block.targets,
            block.units,
        )
        for array in arrays:
            digest.update(np.ascontiguousarray(array).tobytes())
        digest.update(repr(block.gestures).encode())
        segment_count = frame_count // (cfg.fps * int(cfg.segment_seconds))
        return StreamPlan(
            stream_id=self.stream_id,
            config=cfg,
            lines=(plan.lines if plan is not None else ()) + lines,
            segment_count=segment_count,
            frame_count=frame_count,
            duration_s=float(segment_count * int(cfg.segment_seconds)),
            speech_end_s=block.speech_end_s,
            line_spans=line_spans,
            disclosure_span=disclosure_span,
            blocks=(plan.blocks if plan is not None else ()) + ((spoken_from, tuple(x.line_id for x in lines)),),
            pcm=pcm,
            gestures=gestures,
            mouth=mouth,
            landmarks=landmarks,
            to_px=to_px,
            targets=targets,
            units=units,
            fingerprint=digest.hexdigest(),
            base_segment=base,
            cuts=plan.cuts if plan is not None else (),
        )

    # -- init segment ---------------------------------------------------------------------------------------------
    def init_segment(self) -> SignedInit:
        """The signed init segment (one per renderer). Every media segment's manifest binds it (manifest id and
        hash), so a worker that resumes a published stream must `adopt_init` the published one first."""
        if self._init is None:
            signed = self.signer.sign_init(
                self.encoder.init_segment, stream_id=self.stream_id, consent=self.consent, aigc_json=self.aigc.to_json()
            )
            self._init = SignedInit(signed.data, signed.manifest_id, self.aigc.to_json())
        return self._init

    def adopt_init(self, data: bytes) -> SignedInit:
        """Bind the following segments to an init segment already published for this stream (a resumed worker):
        signing a new one would give it another manifest id, which the published segments do not name."""
        from render.engine.fmp4 import BoxError, read_mdta_metadata

        try:
            manifest_id = signed_manifest_id(data)
            aigc = read_mdta_metadata(data).get("AIGC")
        except (SigningError, BoxError) as exc:
            raise StreamConfigError("init_unreadable", f"the published init segment cannot be read: {exc}") from exc
        if aigc != self.aigc.to_json():
            raise StreamConfigError("init_mismatch", "the published init segment carries another stream's AIGC label")
        self._init = SignedInit(data, manifest_id, aigc)
        return self._init

    # -- frames ---------------------------------------------------------------------------------------------------
    def frame(self, plan: StreamPlan, index: int, timings: dict[str, float] | None = None) -> NDArray[np.uint8]:
        """Frame `index` of the stream, labelled and watermarked, as planar YUV 4:2:0 (output size). `timings` gets
        each stage's CPU time in ms (the thread's, not the wall clock: beside x264 on a shared CPU, the wall time of a
        stage counted the waits for a core and read three times the work)."""
        import cv2

        t = timings if timings is not None else {}
        cfg = self.config
        i = index - plan.base_frame  # the plan's arrays start at its base segment
        p = plan.gestures[i]
        start = time.thread_time()
        if self._warp is not None:
            yuv, crop = self._bodies.body(p)
            t["compose"] = t.get("compose", 0.0) + (time.thread_time() - start) * 1000
            start = time.thread_time()
            x0, y0, _, _ = self._bodies.box
            try:
                region = self._warp.render_crop(
                    crop,
                    (x0, y0),
                    self._bodies.frame_size,
                    plan.landmarks[i],
                    plan.to_px[i],
                    plan.targets[i].astype(np.float64),
                    int(plan.units[i]),
                )
            except _CropTooSmall:
                full = self._bodies.full_rgb(p)
                w, h = self._bodies.frame_size
                region = self._warp.render_crop(
                    full,
                    (0, 0),
                    (w, h),
                    plan.landmarks[i],
                    plan.to_px[i],
                    plan.targets[i].astype(np.float64),
                    int(plan.units[i]),
                )
            if region is not None:
                rx, ry, rgb = region
                _paste_yuv(yuv, rgb_to_yuv420(rgb), rx, ry)
            t["lipsync"] = t.get("lipsync", 0.0) + (time.thread_time() - start) * 1000
        else:
            yuv = self._onnx_frame(plan, i, p)
            t["lipsync"] = t.get("lipsync", 0.0) + (time.thread_time() - start) * 1000
        start = time.thread_time()
        w, h = self._bodies.frame_size
        if (w, h) != (cfg.width, cfg.height):
            yuv = _resize_yuv(yuv, w, h, cfg.width, cfg.height, cv2)
        t["compose"] = t.get("compose", 0.0) + (time.thread_time() - start) * 1000

        start = time.thread_time()
        self.label.apply(yuv, t_seconds=index / cfg.fps)
        t["label"] = t.get("label", 0.0) + (time.thread_time() - start) * 1000
        start = time.thread_time()
        sequence = index // plan.frames_per_segment
        self.watermarker.embed_frame(yuv[: cfg.height], content_id_for(self.stream_id, sequence))
        t["watermark"] = t.get("watermark", 0.0) + (time.thread_time() - start) * 1000
        return yuv

    def _onnx_frame(self, plan: StreamPlan, index: int, p: PlannedFrame) -> NDArray[np.uint8]:
        """The onnx engine's frame (`index` into the plan's arrays): only the face box (widened to even bounds for
        4:2:0) is converted and pasted into
        the cached YUV body frame, as the viseme-warp path does, instead of converting the whole frame to YUV."""
        from render.engine.lipsync.mel import mel_spectrogram, mel_windows
        from render.engine.lipsync.onnx_engine import blend_face, face_box

        engine = self._onnx
        if plan.fingerprint not in self._onnx_mel:
            mel = mel_spectrogram(plan.pcm, SAMPLE_RATE)
            self._onnx_mel = {
                plan.fingerprint: mel_windows(mel, len(plan.gestures), plan.config.fps, engine.contract.mel_steps)
            }
        w, h = self._bodies.frame_size
        bx, by, side = face_box(plan.landmarks[index], (h, w))
        x0, y0, x1, y1 = _even_box(bx, by, bx + side, by + side, (w, h))
        yuv, crop = self._bodies.body(p)
        cx0, cy0, cx1, cy1 = self._bodies.box
        if cx0 <= x0 and cy0 <= y0 and x1 <= cx1 and y1 <= cy1:
            region = crop[y0 - cy0 : y1 - cy0, x0 - cx0 : x1 - cx0].copy()
        else:  # the face left the crop box (a wide gesture): take the region from the whole frame
            region = self._bodies.full_rgb(p)[y0:y1, x0:x1].copy()
        face = region[by - y0 : by - y0 + side, bx - x0 : bx - x0 + side]
        generated = engine.infer(self._onnx_mel[plan.fingerprint][index : index + 1], engine.face_input(face)[None])
        face[...] = blend_face(face, generated[0])
        _paste_yuv(yuv, rgb_to_yuv420(region), x0, y0)
        return yuv

    def _frames(self, plan: StreamPlan, sequence: int, timings: dict[str, float]) -> Iterator[NDArray[np.uint8]]:
        """The segment's frames in order, drawn by `frame_threads` helper threads while the caller encodes."""
        first = sequence * plan.frames_per_segment
        return self.frames_between(plan, first, first + plan.frames_per_segment, timings)

    def frames_between(
        self, plan: StreamPlan, first: int, end: int, timings: dict[str, float]
    ) -> Iterator[NDArray[np.uint8]]:
        """Frames [first, end) of the stream in order, drawn by `frame_threads` helper threads while the caller
        encodes.

        Frames are independent of each other (everything sequential was fixed by the plan), so threads may draw
        them in any order; they are handed out in order.
        """
        from concurrent.futures import Future, ThreadPoolExecutor

        sequence = first // plan.frames_per_segment
        window = 2 * self.config.frame_threads + 2
        pending: deque[tuple[Future[NDArray[np.uint8]], dict[str, float]]] = deque()
        with ThreadPoolExecutor(
            self.config.frame_threads, thread_name_prefix=f"frames-{sequence}", initializer=yield_to_encoder
        ) as pool:
            following = first
            try:
                for _ in range(first, end):
                    while following < end and len(pending) < window:
                        local: dict[str, float] = {}
                        pending.append((pool.submit(self.frame, plan, following, local), local))
                        following += 1
                    future, local = pending.popleft()
                    frame = future.result()
                    for k, v in local.items():
                        timings[k] = timings.get(k, 0.0) + v
                    yield frame
            finally:
                for future, _ in pending:
                    future.cancel()

    def segment_frames(
        self, plan: StreamPlan, sequence: int, timings: dict[str, float] | None = None
    ) -> Iterator[NDArray[np.uint8]]:
        """Segment `sequence`'s frames (labelled, watermarked, planar YUV 4:2:0) without the fMP4 packaging, for
        another container (render.engine.short_video writes a whole-file MP4 of the same frames)."""
        return self._frames(plan, sequence, timings if timings is not None else {})

    def segment_audio(self, plan: StreamPlan, sequence: int) -> NDArray[np.float32]:
        """Stereo PCM over the encoder's audio window for `sequence` (silence outside the stream)."""
        start, end = self.encoder.audio_span(sequence)
        mono = np.zeros(end - start, np.float32)
        base = plan.base_sample
        lo, hi = max(start, base), min(end, base + len(plan.pcm))
        if hi > lo:
            mono[lo - start : hi - start] = plan.pcm[lo - base : hi - base]
        return np.repeat(mono[:, None], self.settings.channels, axis=1)

    # -- segments -------------------------------------------------------------------------------------------------
    def render_segment(
        self,
        plan: StreamPlan,
        sequence: int,
        *,
        previous_manifest_id: str | None,
        wall_clock_start: datetime | None = None,
    ) -> SegmentResult:
        """Segment `sequence` of the plan, signed and chained to `previous_manifest_id`; `wall_clock_start` (UTC,
        default: now) is when its first frame is on air, for the record and EXT-X-PROGRAM-DATE-TIME."""
        self.check_segment(plan, sequence, previous_manifest_id=previous_manifest_id)
        timings: dict[str, float] = {}
        started = time.perf_counter()
        encoded = self.encoder.encode_segment(
            sequence, self._frames(plan, sequence, timings), self.segment_audio(plan, sequence), timings
        )

        t = time.perf_counter()
        result = self.sign_speech(
            plan, encoded, previous_manifest_id=previous_manifest_id, wall_clock_start=wall_clock_start
        )
        timings["c2pa"] = (time.perf_counter() - t) * 1000
        timings["total_wall"] = (time.perf_counter() - started) * 1000
        return SegmentResult(result.data, result.uri, result.record, timings)

    def check_segment(self, plan: StreamPlan, sequence: int, *, previous_manifest_id: str | None) -> None:
        """Refuse to render segment `sequence` of `plan` (another stream's plan, not in it, chain broken)."""
        if plan.stream_id != self.stream_id or plan.config != self.config:
            raise StreamConfigError("plan_mismatch", "the plan was made for another stream or other settings")
        if not plan.base_segment <= sequence < plan.segment_count:
            raise StreamConfigError(
                "no_such_segment",
                f"segment {sequence} is not in the plan (it holds {plan.base_segment} to {plan.segment_count - 1})",
            )
        if sequence > 0 and not previous_manifest_id:
            raise StreamConfigError("chain_broken", f"segment {sequence} needs the previous segment's manifest id")

    def sign_speech(
        self,
        plan: StreamPlan,
        encoded: EncodedSegment,
        *,
        previous_manifest_id: str | None,
        wall_clock_start: datetime | None,
    ) -> SegmentResult:
        """An encoded segment of `plan` signed and described (render_segment, and render.engine.live_segment)."""
        sequence = encoded.sequence
        start_s, _ = plan.segment_span(sequence)
        return self.sign_and_record(
            encoded,
            sequence,
            previous_manifest_id=previous_manifest_id,
            wall_clock_start=wall_clock_start,
            start_s=start_s,
            label={**self.label_parameters, "opening_notice": start_s < self.label.spec.opening_seconds},
            script_line_ids=tuple(plan.segment_line_ids(sequence)),
            disclosure=start_s < plan.disclosure_span[1],
            plan_fingerprint=plan.fingerprint,
            engine=self.config.engine,
        )

    def sign_and_record(
        self,
        encoded: EncodedSegment,
        sequence: int,
        *,
        previous_manifest_id: str | None,
        wall_clock_start: datetime | None,
        start_s: float,
        label: dict[str, Any],
        script_line_ids: tuple[str, ...],
        disclosure: bool,
        plan_fingerprint: str,
        engine: str,
        extra: dict[str, Any] | None = None,
    ) -> SegmentResult:
        """Sign an encoded segment (C2PA, chained to `previous_manifest_id`, bound to the init segment) and describe
        it: what every segment of the stream shares, speech or slate (render.engine.slate)."""
        content_id = content_id_for(self.stream_id, sequence)
        init = self.init_segment()
        signed = self.signer.sign_segment(
            encoded.data,
            stream_id=self.stream_id,
            sequence=sequence,
            previous_manifest_id=previous_manifest_id,
            consent=self.consent,
            extra={"watermark_content_id": f"{content_id:016x}", **(extra or {})},
            init=InitBinding.of(init.data, init.manifest_id),
        )
        uri = f"seg_{sequence:06d}.m4s"
        record = SegmentRecord(
            stream_id=self.stream_id,
            sequence=sequence,
            uri=uri,
            sha256=hashlib.sha256(signed.data).hexdigest(),
            size=len(signed.data),
            duration=encoded.duration,
            start_s=start_s,
            wall_clock_start=wall_clock_start if wall_clock_start is not None else datetime.now(UTC),
            video_frames=encoded.video_frames,
            audio_samples=encoded.audio_samples,
            manifest_id=signed.manifest_id,
            previous_manifest_id=previous_manifest_id,
            watermark_id=f"{content_id:016x}",
            label=label,
            consent_grant_id=self.consent.grant_id,
            script_line_ids=script_line_ids,
            disclosure=disclosure,
            aigc=self.aigc.to_json(),
            plan_fingerprint=plan_fingerprint,
            engine=engine,
            settings=self.config.name,
        )
        return SegmentResult(signed.data, uri, record, {})

    def playlist(self, records: Sequence[SegmentRecord], *, ended: bool) -> str:
        """HLS media playlist (v7, fMP4, init.mp4) of the records from sequence 0, with their wall-clock starts."""
        return media_playlist(
            [PlaylistSegment(r.uri, r.duration, r.size, r.wall_clock_start) for r in records],
            target_duration=int(self.config.segment_seconds),
            ended=ended,
        )


_NO_IMAGE: NDArray[np.uint8] = np.zeros((2, 2, 3), np.uint8)


def _context(plan: StreamPlan) -> tuple[TimedScriptLine, ...]:
    """The lines (with their spans) a new block's gestures are planned against: those of the plan's last
    CONTEXT_BLOCKS blocks, so the work per append is bounded and a resumed plan gives the same gestures."""
    ids = [line_id for _, block_ids in plan.blocks[-CONTEXT_BLOCKS:] for line_id in block_ids]
    by_id = {line.line_id: line for line in plan.lines}
    return tuple(
        TimedScriptLine(line_id, by_id[line_id].text, by_id[line_id].intent, *plan.line_spans[line_id])
        for line_id in ids
        if line_id in by_id and line_id in plan.line_spans
    )


def _first_pause(tail: NDArray[np.float32]) -> int:
    """Samples of `tail` before its first pause (CUT_QUIET_S under CUT_QUIET_RMS, in 10 ms windows); all of it when
    it has none."""
    window = SAMPLE_RATE // 100
    n = len(tail) // window
    if n == 0:
        return 0
    rms = np.sqrt(np.mean(np.square(tail[: n * window].reshape(n, window).astype(np.float64)), axis=1))
    need = max(round(CUT_QUIET_S * 100), 1)
    quiet = 0
    for i, level in enumerate(rms):
        quiet = quiet + 1 if level < CUT_QUIET_RMS else 0
        if quiet >= need:
            return (i + 1 - need) * window
    return len(tail)


def _config_key(cfg: StreamConfig) -> dict[str, Any]:
    return {
        k: (vars(v) if isinstance(v, SafeArea) else v)
        for k, v in vars(cfg).items()
        if k not in ("frame_cache_mb", "torch_threads", "frame_threads")
    }


def _resize_yuv(yuv: NDArray[np.uint8], w: int, h: int, ow: int, oh: int, cv2: Any) -> NDArray[np.uint8]:
    interpolation = cv2.INTER_AREA if ow < w else cv2.INTER_LINEAR
    out = np.empty((oh * 3 // 2, ow), np.uint8)
    out[:oh] = cv2.resize(yuv[:h], (ow, oh), interpolation=interpolation)
    su, sv = chroma_planes(yuv)
    du, dv = chroma_planes(out)
    du[:] = cv2.resize(su, (ow // 2, oh // 2), interpolation=interpolation)
    dv[:] = cv2.resize(sv, (ow // 2, oh // 2), interpolation=interpolation)
    return out
