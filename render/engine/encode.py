"""H.264 + AAC encoding of a live stream into HLS-ready fragmented MP4 segments.

`SegmentEncoder` opens libx264 and FFmpeg's AAC encoder once per stream and keeps them open: each call to
`encode_segment` feeds exactly one segment's frames (forced IDR on its first frame, so every segment starts with a
keyframe and decodes on its own) plus its PCM audio, and returns a complete `styp+moof+mdat` media segment written by
`render.engine.fmp4` (see there for why we write the boxes ourselves). `tune=zerolatency` means x264 returns each
frame's packet immediately, so a segment is ready as soon as its last frame is encoded.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from render.engine import fmp4

# FFmpeg's native AAC encoder delays its output by one frame of priming samples (its initial_padding).
AAC_PRIMING_SAMPLES = 1024


# Niceness of the threads that work beside x264 (frame drawing, AAC). x264 is the pipeline's bound and runs on one
# thread; with the helpers at equal priority the scheduler paired it with one of them on a core half the time.
HELPER_NICE = 5


def yield_to_encoder() -> None:
    """Lower the calling thread's priority HELPER_NICE below the process's (Linux: per thread, so x264 on the
    calling thread keeps its priority; elsewhere, or if refused, nothing)."""
    import os
    import threading

    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(os.getpriority(os.PRIO_PROCESS, tid) + HELPER_NICE, 19))
    except (AttributeError, OSError):  # pragma: no cover - not Linux, or a sandbox that forbids it
        pass


class EncodeError(ValueError):
    """Bad encoder settings or input."""


@dataclass(frozen=True)
class EncoderSettings:
    width: int = 1280
    height: int = 720
    fps: int = 25
    segment_seconds: int = 2
    video_bitrate: int = 2_500_000
    preset: str = "veryfast"
    sample_rate: int = 48_000
    channels: int = 2
    audio_bitrate: int = 128_000

    def __post_init__(self) -> None:
        if self.width % 2 or self.height % 2 or not (64 <= self.width <= 4096 and 64 <= self.height <= 4096):
            raise EncodeError(f"frame size {self.width}x{self.height} must be even and between 64 and 4096")
        if self.fps not in (24, 25, 30, 50, 60):
            raise EncodeError(f"fps {self.fps} must be one of 24, 25, 30, 50, 60")
        if self.segment_seconds < 1:
            raise EncodeError("segment_seconds must be at least 1")
        if self.channels not in (1, 2):
            raise EncodeError("channels must be 1 or 2")

    @property
    def frames_per_segment(self) -> int:
        return self.fps * self.segment_seconds

    @property
    def samples_per_segment(self) -> int:
        return self.sample_rate * self.segment_seconds

    @classmethod
    def for_height(cls, height: int, fps: int = 25) -> EncoderSettings:
        """The ladder we ship: 720p at 2.5 Mbps, 1080p at 4.5 Mbps."""
        rates = {720: 2_500_000, 1080: 4_500_000}
        if height not in rates:
            raise EncodeError(f"no preset for {height}p (720 or 1080)")
        return cls(width=height * 16 // 9, height=height, fps=fps, video_bitrate=rates[height])


@dataclass(frozen=True)
class EncodedSegment:
    sequence: int  # 0-based
    data: bytes  # styp + moof + mdat
    video_frames: int
    duration: float  # seconds of video
    audio_samples: int


def _open_x264(s: EncoderSettings, *, single_thread: bool) -> Any:
    """libx264 opened for HLS: fixed GOP = one segment, no scene-cut keyframes, no B-frames (pts == dts), capped VBV."""
    import av
    from av.codec.context import Flags

    n = s.frames_per_segment
    video = av.CodecContext.create("libx264", "w")
    video.width, video.height = s.width, s.height
    video.pix_fmt = "yuv420p"
    video.time_base = Fraction(1, s.fps)
    video.framerate = Fraction(s.fps)
    video.bit_rate = s.video_bitrate
    video.gop_size = n
    kbps = s.video_bitrate // 1000
    video.options = {
        "preset": s.preset,
        "tune": "zerolatency",
        "forced-idr": "1",
        "x264-params": (
            f"keyint={n}:min-keyint={n}:scenecut=0:bframes=0:vbv-maxrate={kbps}:vbv-bufsize={2 * kbps}"
            ":colorprim=bt709:transfer=bt709:colormatrix=bt709"
        ),
    }
    video.flags |= Flags.global_header  # SPS/PPS in extradata -> avcC in the init segment
    if single_thread:
        video.thread_count = 1
    video.open()
    return video


def _open_aac(s: EncoderSettings) -> Any:
    import av
    from av.codec.context import Flags

    audio = av.CodecContext.create("aac", "w")
    audio.sample_rate = s.sample_rate
    audio.layout = "stereo" if s.channels == 2 else "mono"
    audio.format = "fltp"
    audio.bit_rate = s.audio_bitrate
    audio.time_base = Fraction(1, s.sample_rate)
    audio.flags |= Flags.global_header
    audio.open()
    return audio


class SegmentEncoder:
    """Encodes consecutive segments of one stream; the encoders are opened once and stay open."""

    def __init__(self, settings: EncoderSettings, *, metadata: dict[str, str] | None = None) -> None:
        self.settings = s = settings
        video, audio = _open_x264(s, single_thread=False), _open_aac(s)
        self._video, self._audio = video, audio
        self._frame_index = 0
        self._audio_in = 0  # samples fed
        self._audio_out = 0  # media time (samples, priming included) of the next AAC packet
        self._sequence = 0
        self._frame_duration = fmp4.VIDEO_TIMESCALE // s.fps
        self.init_segment = fmp4.init_segment(
            fmp4.TrackConfig(
                width=s.width,
                height=s.height,
                fps=s.fps,
                avcc=fmp4.avcc_from_annexb(bytes(video.extradata or b"")),
                sample_rate=s.sample_rate,
                channels=s.channels,
                audio_specific_config=bytes(audio.extradata or b""),
                audio_bitrate=s.audio_bitrate,
                audio_priming=AAC_PRIMING_SAMPLES,
            ),
            metadata or {},
        )

    def encode_segment(self, frames_yuv: list[np.ndarray], audio: np.ndarray | None = None) -> EncodedSegment:
        """Encode one segment: `frames_yuv` are planar YUV 4:2:0 arrays (h*3/2, w) uint8, exactly
        `frames_per_segment` of them; `audio` is PCM (samples, channels) float32 in -1..1 or int16, exactly
        `samples_per_segment` long, or None for silence."""
        import av
        from av.video.frame import PictureType

        s = self.settings
        if len(frames_yuv) != s.frames_per_segment:
            raise EncodeError(f"a segment needs {s.frames_per_segment} frames, got {len(frames_yuv)}")
        expected = (s.height * 3 // 2, s.width)
        video_samples: list[fmp4.Sample] = []
        first_frame = self._frame_index
        for i, yuv in enumerate(frames_yuv):
            if yuv.shape != expected or yuv.dtype != np.uint8:
                raise EncodeError(f"frame {i} is {yuv.shape} {yuv.dtype}, expected {expected} uint8 YUV 4:2:0")
            frame = av.VideoFrame.from_ndarray(yuv, format="yuv420p")
            frame.pts = self._frame_index
            frame.time_base = self._video.time_base
            if i == 0:
                frame.pict_type = PictureType.I  # with forced-idr: an IDR opens every segment
            self._frame_index += 1
            video_samples.extend(
                fmp4.Sample(fmp4.annexb_to_length_prefixed(bytes(p)), self._frame_duration, p.is_keyframe)
                for p in self._video.encode(frame)
            )
        if len(video_samples) != len(frames_yuv) or not video_samples[0].keyframe:
            # zerolatency guarantees one packet per frame; anything else would misplace segment boundaries.
            raise EncodeError("the video encoder did not return one packet per frame starting with a keyframe")

        pcm = self._pcm(audio)
        audio_frame = av.AudioFrame.from_ndarray(pcm, format="fltp", layout=self._audio.layout.name)
        audio_frame.sample_rate = s.sample_rate
        audio_frame.pts = self._audio_in
        audio_frame.time_base = self._audio.time_base
        self._audio_in += pcm.shape[1]
        audio_base = self._audio_out
        audio_samples = []
        for packet in self._audio.encode(audio_frame):
            duration = int(packet.duration or self._audio.frame_size)
            audio_samples.append(fmp4.Sample(bytes(packet), duration))
            self._audio_out += duration

        self._sequence += 1
        data = fmp4.media_segment(
            self._sequence, first_frame * self._frame_duration, video_samples, audio_base, audio_samples
        )
        return EncodedSegment(
            sequence=self._sequence - 1,
            data=data,
            video_frames=len(video_samples),
            duration=len(video_samples) / s.fps,
            audio_samples=sum(a.duration for a in audio_samples),
        )

    def _pcm(self, audio: np.ndarray | None) -> np.ndarray:
        s = self.settings
        if audio is None:
            return np.zeros((s.channels, s.samples_per_segment), dtype=np.float32)
        if audio.ndim == 1:
            audio = audio[:, None]
        if audio.shape != (s.samples_per_segment, s.channels):
            raise EncodeError(
                f"audio is {audio.shape}, expected ({s.samples_per_segment}, {s.channels}) samples x channels"
            )
        if audio.dtype == np.int16:
            audio = audio.astype(np.float32) / 32768.0
        return np.ascontiguousarray(audio.T, dtype=np.float32)

    def close(self) -> None:
        """Release the encoders. The AAC encoder's last buffered frame (under 22 ms) is dropped by design: a live
        segment cannot be reopened once published."""
        self._video = None
        self._audio = None


# --- independent segments (resumable streams) ---------------------------------------------------------------------

AAC_FRAME_SAMPLES = 1024
# AAC packets encoded and thrown away before a segment's first packet, so its MDCT overlap and the encoder's
# rate control have seen the audio that precedes the segment.
AAC_WARMUP_FRAMES = 3
_AAC_TAIL_FRAMES = 3


# The published audio track has no priming and no edit list: packet k decodes to input samples [k·1024, (k+1)·1024),
# so its media time is its presentation time. With the priming packet in the track and an edit list to hide it,
# FFmpeg reads fragmented MP4 with the audio starting at −21.3 ms instead of trimming the priming, and a decoder
# that takes the samples as they come (ffmpeg to a WAV or raw PCM) heard every sound 21 ms late (the outside check
# measured +30 ms from the lips by frame midpoint; +10 ms of it is the mouth track, see test_audio_and_lips_...).
# A fresh encoder's first packet is its priming; the packet that starts the segment comes `AAC_WARMUP_FRAMES`
# packets after it.
_AAC_PRIMING_PACKETS = AAC_PRIMING_SAMPLES // AAC_FRAME_SAMPLES


def aac_packet_span(sequence: int, settings: EncoderSettings) -> tuple[int, int]:
    """[first, end) indices of the AAC packets that belong to segment `sequence`.

    Packet k sits at media time k * 1024, which is its presentation time (no priming in the published track); a
    segment owns the packets whose media time falls inside its span, so consecutive segments tile the audio track
    without gaps or overlaps.
    """
    per = settings.samples_per_segment
    return -(-sequence * per // AAC_FRAME_SAMPLES), -(-(sequence + 1) * per // AAC_FRAME_SAMPLES)


class IndependentSegmentEncoder:
    """Encodes any segment of a stream on its own: fresh x264 and AAC encoders per segment.

    A stream whose worker dies mid-segment is resumed by another process at that sequence number; for the resumed
    segment to be the same as the one a continuous run would have made, no encoder state may carry over from one
    segment to the next. So every segment gets a new x264 instance (it starts with an IDR anyway, and with a VBV
    cap rate control needs no history) and a new AAC encoder that is first fed `AAC_WARMUP_FRAMES` frames of the
    audio before the segment (whose packets are dropped). The same segment number with the same input therefore
    gives the same bytes in any process, in any order. Opening the encoders costs ~3 ms per 2 s segment.
    """

    def __init__(self, settings: EncoderSettings, *, metadata: dict[str, str] | None = None) -> None:
        self.settings = s = settings
        self._frame_duration = fmp4.VIDEO_TIMESCALE // settings.fps
        self._extradata = b""
        video: Any = self.open_video()
        self._extradata = bytes(video.extradata or b"")
        audio = _open_aac(self.settings)
        self.init_segment = fmp4.init_segment(
            fmp4.TrackConfig(
                width=s.width,
                height=s.height,
                fps=s.fps,
                avcc=fmp4.avcc_from_annexb(self._extradata),
                sample_rate=s.sample_rate,
                channels=s.channels,
                audio_specific_config=bytes(audio.extradata or b""),
                audio_bitrate=s.audio_bitrate,
                audio_priming=0,  # the priming packet is never published (see `_AAC_PRIMING_PACKETS`)
            ),
            metadata or {},
        )

    def audio_span(self, sequence: int) -> tuple[int, int]:
        """[start, end) of the input samples (stream time, may start below 0 = silence) `encode` needs."""
        first, end = aac_packet_span(sequence, self.settings)
        # A fresh encoder's packet j holds input samples start + (j - 1) * 1024 onwards (packet 0 is its priming).
        start = (first - AAC_WARMUP_FRAMES) * AAC_FRAME_SAMPLES
        frames = end - first + AAC_WARMUP_FRAMES + _AAC_PRIMING_PACKETS + _AAC_TAIL_FRAMES
        return start, start + frames * AAC_FRAME_SAMPLES

    def open_video(self) -> object:
        # One thread: x264's sliced threads make VBV rate control depend on thread timing (the same frames gave
        # different bytes run to run), and a resumed segment must be the segment. Two-core workers use the other
        # core to draw frames (see render.engine.stream).
        video = _open_x264(self.settings, single_thread=True)
        if self._extradata and bytes(video.extradata or b"") != self._extradata:
            raise EncodeError("x264 produced SPS/PPS that differ from the init segment's; settings changed mid-stream")
        return video

    def encode_video(self, sequence: int, frames_yuv: Iterable[np.ndarray]) -> list[fmp4.Sample]:
        """H.264 samples of one segment; `frames_yuv` may be a generator (frames are encoded as they arrive)."""
        encoding = SegmentEncoding(self, sequence)
        for yuv in frames_yuv:
            encoding.add_frame(yuv)
        return encoding.video_samples()

    def encode_audio(self, sequence: int, pcm: np.ndarray) -> tuple[int, list[fmp4.Sample]]:
        """(media time of the first packet, AAC samples) of one segment from `pcm`, the input over `audio_span`:
        (samples, channels) float32 in -1..1."""
        encoding = SegmentEncoding(self, sequence)
        encoding.feed_audio(pcm[:, None] if pcm.ndim == 1 else pcm)
        return encoding.first_packet * AAC_FRAME_SAMPLES, encoding.audio_samples()

    def begin(self, sequence: int) -> SegmentEncoding:
        """Segment `sequence` encoded as its frames and audio come (SegmentEncoding), not all at once."""
        return SegmentEncoding(self, sequence)

    def encode_segment(
        self,
        sequence: int,
        frames_yuv: Iterable[np.ndarray],
        pcm: np.ndarray,
        timings: dict[str, float] | None = None,
    ) -> EncodedSegment:
        """Video and audio of one segment, muxed. The AAC runs on a helper thread while x264 encodes the frames (the
        two share nothing): done after the video it sat on the critical path, ~45 ms of every 2 s segment at 720p30,
        8 % of the pipeline's wall time. `timings` gets video_wall, audio (CPU time of its thread) and audio_mux (the
        wait for the audio after the video, plus the mux) in ms."""
        from concurrent.futures import ThreadPoolExecutor

        t = timings if timings is not None else {}

        def audio_job() -> tuple[int, list[fmp4.Sample], float]:
            begun = time.thread_time()  # CPU time: the wall time on a busy CPU counted the waits for a core
            base, packets = self.encode_audio(sequence, pcm)
            return base, packets, (time.thread_time() - begun) * 1000

        started = time.perf_counter()
        with ThreadPoolExecutor(1, thread_name_prefix=f"aac-{sequence}", initializer=yield_to_encoder) as pool:
            pending = pool.submit(audio_job)
            video = self.encode_video(sequence, frames_yuv)
            t["video_wall"] = (time.perf_counter() - started) * 1000
            waited = time.perf_counter()
            audio_base, audio, t["audio"] = pending.result()
        encoded = self.mux(sequence, video, audio_base, audio)
        t["audio_mux"] = (time.perf_counter() - waited) * 1000
        return encoded

    def mux(self, sequence: int, video: list[fmp4.Sample], audio_base: int, audio: list[fmp4.Sample]) -> EncodedSegment:
        s = self.settings
        first_frame = sequence * s.frames_per_segment
        data = fmp4.media_segment(sequence + 1, first_frame * self._frame_duration, video, audio_base, audio)
        return EncodedSegment(
            sequence=sequence,
            data=data,
            video_frames=len(video),
            duration=len(video) / s.fps,
            audio_samples=sum(a.duration for a in audio),
        )


@dataclass(frozen=True)
class EncodedPart:
    """What a SegmentEncoding encoded since it was last asked: H.264 samples from frame `first_frame` on (stream
    frame index) and AAC samples from media time `first_audio_sample` on (48 kHz, stream time)."""

    sequence: int
    first_frame: int
    video: list[fmp4.Sample]
    first_audio_sample: int
    audio: list[fmp4.Sample]


class SegmentEncoding:
    """One independent segment encoded a few frames at a time (what the live runner sends ahead of the wall clock
    while it still renders the rest of the segment). `IndependentSegmentEncoder.encode_segment` encodes through it
    too, so both give the very same bytes for the same input: fresh encoders (opened when first used), fed the same
    frames and 1024-sample chunks in the same order.

    The AAC encoder is fed only up to `feed_audio`'s `upto`: a caller that may still change the audio after some
    point (an at-once cut-in at the next frame) passes that point, so nothing encoded depends on what may change."""

    def __init__(self, encoder: IndependentSegmentEncoder, sequence: int) -> None:
        s = encoder.settings
        self._encoder = encoder
        self.sequence = sequence
        self._frame_duration = fmp4.VIDEO_TIMESCALE // s.fps
        self.first_frame = sequence * s.frames_per_segment
        self.frame_count = s.frames_per_segment
        self._video: Any = None
        self._video_samples: list[fmp4.Sample] = []
        self.frames_encoded = 0
        self._audio: Any = None
        self.audio_start, self.audio_end = encoder.audio_span(sequence)
        self._fed = self.audio_start  # stream time of the next input sample not fed yet
        self.first_packet, self._stop_packet = aac_packet_span(sequence, s)
        self._skip = _AAC_PRIMING_PACKETS + AAC_WARMUP_FRAMES
        self._packets: list[bytes] = []
        self._taken_video = 0
        self._taken_audio = 0

    @property
    def next_frame(self) -> int:
        """Stream index of the next frame to encode."""
        return self.first_frame + self.frames_encoded

    def add_frame(self, yuv: np.ndarray) -> None:
        import av
        from av.video.frame import PictureType

        s = self._encoder.settings
        i = self.frames_encoded
        expected = (s.height * 3 // 2, s.width)
        if yuv.shape != expected or yuv.dtype != np.uint8:
            raise EncodeError(f"frame {i} is {yuv.shape} {yuv.dtype}, expected {expected} uint8 YUV 4:2:0")
        if i >= self.frame_count:
            raise EncodeError(f"a segment needs {self.frame_count} frames, got more")
        if self._video is None:
            self._video = self._encoder.open_video()
        frame = av.VideoFrame.from_ndarray(yuv, format="yuv420p")
        frame.pts = self.first_frame + i
        frame.time_base = self._video.time_base
        if i == 0:
            frame.pict_type = PictureType.I
        self._video_samples.extend(
            fmp4.Sample(fmp4.annexb_to_length_prefixed(bytes(p)), self._frame_duration, p.is_keyframe)
            for p in self._video.encode(frame)
        )
        self.frames_encoded += 1

    def feed_audio(self, pcm: np.ndarray, *, upto: int | None = None) -> None:
        """Encode the 1024-sample chunks of `pcm` ((samples, channels) float32 in -1..1 over [audio_start,
        audio_end), the segment's audio window) that end at or before stream sample `upto` (default: all of it),
        from where the last call stopped."""
        import av

        s = self._encoder.settings
        if pcm.shape != (self.audio_end - self.audio_start, s.channels):
            raise EncodeError(
                f"audio is {pcm.shape}, expected ({self.audio_end - self.audio_start}, {s.channels}) for segment "
                f"{self.sequence}"
            )
        if self._audio is None:
            self._audio = _open_aac(s)
        limit = self.audio_end if upto is None else min(upto, self.audio_end)
        needed = self._skip + self._stop_packet - self.first_packet
        while self._fed + AAC_FRAME_SAMPLES <= limit and len(self._packets) < needed:
            offset = self._fed - self.audio_start
            chunk = np.ascontiguousarray(pcm[offset : offset + AAC_FRAME_SAMPLES].T, dtype=np.float32)
            frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=self._audio.layout.name)
            frame.sample_rate = s.sample_rate
            frame.pts = offset
            frame.time_base = self._audio.time_base
            self._packets.extend(bytes(p) for p in self._audio.encode(frame))
            self._fed += AAC_FRAME_SAMPLES

    def _wanted(self) -> list[bytes]:
        return self._packets[self._skip : self._skip + self._stop_packet - self.first_packet]

    def take(self) -> EncodedPart:
        """The samples encoded since the last take (audio: only the segment's own packets, in order)."""
        video = self._video_samples[self._taken_video :]
        first_frame = self.first_frame + self._taken_video
        self._taken_video = len(self._video_samples)
        wanted = self._wanted()
        audio = [fmp4.Sample(p, AAC_FRAME_SAMPLES) for p in wanted[self._taken_audio :]]
        first_audio = (self.first_packet + self._taken_audio) * AAC_FRAME_SAMPLES
        self._taken_audio = len(wanted)
        return EncodedPart(self.sequence, first_frame, video, first_audio, audio)

    def video_samples(self) -> list[fmp4.Sample]:
        """Every H.264 sample of the segment (all its frames added)."""
        if self.frames_encoded != self.frame_count:
            raise EncodeError(f"a segment needs {self.frame_count} frames, got {self.frames_encoded}")
        video = self._video_samples
        if len(video) != self.frame_count or not video[0].keyframe:
            raise EncodeError("the video encoder did not return one packet per frame starting with a keyframe")
        return video

    def audio_samples(self) -> list[fmp4.Sample]:
        """Every AAC sample of the segment (all its audio fed)."""
        wanted = self._wanted()
        if len(wanted) != self._stop_packet - self.first_packet:
            raise EncodeError(
                f"the AAC encoder returned {len(self._packets)} packets, {self._stop_packet - self.first_packet} "
                "were needed"
            )
        return [fmp4.Sample(p, AAC_FRAME_SAMPLES) for p in wanted]

    def finish(self, pcm: np.ndarray) -> EncodedSegment:
        """Feed the rest of the audio and mux the segment (after every frame was added)."""
        self.feed_audio(pcm)
        return self._encoder.mux(
            self.sequence, self.video_samples(), self.first_packet * AAC_FRAME_SAMPLES, self.audio_samples()
        )
