"""Upload validation with PyAV: is it a decodable video, in a codec we accept, long and sharp enough, with one face?

Every refusal raises `MediaRejected` with a stable code (see errors.py). The checks are split so the Django side can
refuse cheap failures (container, codec, duration, resolution: one demux pass, no decoding) before paying for face
detection, and so that nothing is stored until every check has passed.

WebM from Chromium's MediaRecorder has no duration in its header and no cues (it cannot be seeked), so the duration
is always measured from the packets' timestamps, and frames are sampled in one forward pass, never by seeking.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, BinaryIO

from consent.biometrics.errors import MediaRejected

if TYPE_CHECKING:
    import numpy as np

    from consent.biometrics.face import FaceTrackSummary

VideoSource = BinaryIO | str | os.PathLike[str]

# What browsers' MediaRecorder and phones produce (browser-testing.md): VP8/VP9/AV1 in WebM, H.264 in MP4/Matroska.
SUPPORTED_CODECS = frozenset({"h264", "vp8", "vp9", "av1", "hevc"})
SAMPLE_MIN_SECONDS = 30.0
SAMPLE_MAX_SECONDS = 600.0
# A statement is the consent sentence plus the code: a few seconds; two minutes is generous.
STATEMENT_MIN_SECONDS = 2.0
STATEMENT_MAX_SECONDS = 120.0
MIN_SHORT_SIDE = 480
# One face must be seen in at least this share of the sampled frames.
MIN_ONE_FACE_FRACTION = 0.8
# More than this share of sampled frames with two or more faces means someone else is in the picture. A single
# frame is tolerated because the HOG detector occasionally fires twice on one face at an angle.
MAX_SEVERAL_FACES_FRACTION = 0.1


@dataclass(frozen=True)
class VideoInfo:
    container: str
    codec: str
    duration: float
    width: int
    height: int
    fps: float
    has_audio: bool
    frame_count: int


def _rewind(source: VideoSource) -> None:
    # Each pass (probe, sampling, audio) reads from the start; a pipe-like stream can be read once only.
    seekable = getattr(source, "seekable", None)
    if seekable is not None and seekable():
        source.seek(0)  # type: ignore[union-attr]


def open_container(source: VideoSource) -> Any:
    """av.open with every failure turned into `undecodable` (garbage, empty file, missing index...)."""
    import av

    _rewind(source)
    try:
        return av.open(source, mode="r")
    except (av.error.FFmpegError, ValueError, OSError, UnicodeDecodeError) as exc:
        raise MediaRejected("undecodable", f"the file is not a readable video ({type(exc).__name__})") from None


def probe_video(source: VideoSource) -> VideoInfo:
    """Demux every packet (no decoding) to measure the real duration, then decode the first frames.

    Raises MediaRejected("undecodable") for garbage, a file without a video stream, or one whose packets stop
    with an error (a truncated upload).
    """
    import av

    container = open_container(source)
    try:
        videos = [s for s in container.streams if s.type == "video"]
        if not videos:
            raise MediaRejected("undecodable", "the file has no video stream")
        stream = videos[0]
        has_audio = any(s.type == "audio" for s in container.streams)
        codec = stream.codec_context.name
        width, height = stream.codec_context.width, stream.codec_context.height
        time_base = stream.time_base or Fraction(1, 1000)
        first: int | None = None
        end: int | None = None
        frames = 0
        try:
            for packet in container.demux(stream):
                if packet.size == 0 or packet.pts is None:
                    continue  # the flush packet, or a packet without timing
                if packet.is_corrupt:
                    raise MediaRejected("undecodable", "the video stream contains corrupt packets")
                frames += 1
                first = packet.pts if first is None else min(first, packet.pts)
                packet_end = packet.pts + (packet.duration or 0)
                end = packet_end if end is None else max(end, packet_end)
        except av.error.FFmpegError as exc:
            raise MediaRejected("undecodable", f"the video stream is damaged ({type(exc).__name__})") from None
        if frames == 0 or first is None or end is None:
            raise MediaRejected("undecodable", "the video stream has no frames")
        duration = float((end - first) * time_base)
        if duration <= 0:
            # One frame, or no packet durations: fall back on the header, if any.
            duration = float(container.duration / av.time_base) if container.duration else 0.0
        rate = stream.average_rate or stream.guessed_rate
        fps = float(rate) if rate else (frames / duration if duration else 0.0)
        # A header that promises more than the packets deliver means the upload was cut short (a WebM or a
        # fast-start MP4 still demuxes up to the cut). MediaRecorder WebM has no header duration: nothing to compare.
        # The stream's own duration when the container has one (MP4); else the whole file's (WebM), which a longer
        # sound track can stretch a little, hence the tolerance of a quarter second or two frames.
        if stream.duration:
            declared: float | None = float(stream.duration * time_base)
        else:
            declared = float(container.duration / av.time_base) if container.duration else None
        if declared is not None and duration + max(0.25, 2 / fps if fps else 0.25) < declared:
            raise MediaRejected(
                "undecodable", f"the file is truncated: {duration:.1f} s of {declared:.1f} s could be read"
            )
        if codec in SUPPORTED_CODECS and (not width or not height):
            raise MediaRejected("undecodable", "the video stream has no picture size")
        container_name = container.format.name
    finally:
        container.close()
    # Demuxing proves the container; decoding a first frame proves the codec data (a header-only or zeroed file
    # demuxes fine and decodes nothing).
    if codec in SUPPORTED_CODECS and next(iter_frames(source, max_frames=1), None) is None:
        raise MediaRejected("undecodable", "no frame of the video could be decoded")
    return VideoInfo(
        container=container_name,
        codec=codec,
        duration=duration,
        width=width,
        height=height,
        fps=fps,
        has_audio=has_audio,
        frame_count=frames,
    )


def iter_frames(source: VideoSource, *, max_frames: int | None = None) -> Iterator[tuple[float, Any]]:
    """Decode video frames front to back, yielding (time in seconds from the first frame, av.VideoFrame)."""
    import av

    container = open_container(source)
    try:
        stream = next((s for s in container.streams if s.type == "video"), None)
        if stream is None:
            raise MediaRejected("undecodable", "the file has no video stream")
        stream.thread_type = "AUTO"
        start: float | None = None
        count = 0
        try:
            for frame in container.decode(stream):
                t = float(frame.time) if frame.time is not None else count / 25.0
                start = t if start is None else start
                yield t - start, frame
                count += 1
                if max_frames is not None and count >= max_frames:
                    return
        except av.error.FFmpegError as exc:
            raise MediaRejected("undecodable", f"the video could not be decoded ({type(exc).__name__})") from None
    finally:
        container.close()


def sample_frames(source: VideoSource, info: VideoInfo, *, count: int) -> list[np.ndarray]:
    """`count` RGB frames spread evenly over the video, in one forward decoding pass (no seeking)."""
    targets = [info.duration * (i + 0.5) / count for i in range(count)]
    picked: list[np.ndarray] = []
    next_target = 0
    for t, frame in iter_frames(source):
        if t + 1e-6 < targets[next_target]:
            continue
        picked.append(frame.to_ndarray(format="rgb24"))
        # A low frame rate can put several targets before the next frame: skip them, so frames stay distinct.
        while next_target < count and t + 1e-6 >= targets[next_target]:
            next_target += 1
        if next_target == count:
            break
    return picked


class FrameSampler:
    """Picks the same frames as `sample_frames`, from frames fed in order (`add(t, av_frame)`), so the face check
    rides on the full decoding pass instead of decoding the video a second time."""

    def __init__(self, info: VideoInfo, *, count: int) -> None:
        self.targets = [info.duration * (i + 0.5) / count for i in range(count)]
        self.picked: list[np.ndarray] = []
        self._next = 0

    def add(self, t: float, frame: Any) -> None:
        if self._next >= len(self.targets) or t + 1e-6 < self.targets[self._next]:
            return
        self.picked.append(frame.to_ndarray(format="rgb24"))
        while self._next < len(self.targets) and t + 1e-6 >= self.targets[self._next]:
            self._next += 1


def _validate_common(info: VideoInfo, *, min_seconds: float, max_seconds: float, min_short_side: int) -> None:
    if info.codec not in SUPPORTED_CODECS:
        raise MediaRejected(
            "unsupported_codec",
            f"video codec {info.codec!r} is not accepted; use one of {', '.join(sorted(SUPPORTED_CODECS))}",
        )
    if info.duration < min_seconds:
        raise MediaRejected("too_short", f"the video lasts {info.duration:.1f} s; at least {min_seconds:.0f} s needed")
    if info.duration > max_seconds:
        raise MediaRejected("too_long", f"the video lasts {info.duration:.1f} s; at most {max_seconds:.0f} s allowed")
    if min(info.width, info.height) < min_short_side:
        raise MediaRejected(
            "resolution_too_low",
            f"the video is {info.width}x{info.height}; its shorter side must be at least {min_short_side} px",
        )


def validate_sample(
    info: VideoInfo,
    *,
    min_seconds: float = SAMPLE_MIN_SECONDS,
    max_seconds: float = SAMPLE_MAX_SECONDS,
    min_short_side: int = MIN_SHORT_SIDE,
) -> VideoInfo:
    """Training sample rules: supported codec, 30 s to 10 min, shorter side >= 480 px. Returns `info` when valid."""
    _validate_common(info, min_seconds=min_seconds, max_seconds=max_seconds, min_short_side=min_short_side)
    return info


def validate_statement(
    info: VideoInfo,
    *,
    min_seconds: float = STATEMENT_MIN_SECONDS,
    max_seconds: float = STATEMENT_MAX_SECONDS,
    min_short_side: int = MIN_SHORT_SIDE,
) -> VideoInfo:
    """Statement video rules: supported codec, 2 s to 2 min, shorter side >= 480 px. Returns `info` when valid."""
    _validate_common(info, min_seconds=min_seconds, max_seconds=max_seconds, min_short_side=min_short_side)
    return info


def validate_face_presence(
    summary: FaceTrackSummary,
    *,
    min_one_face_fraction: float = MIN_ONE_FACE_FRACTION,
    max_several_faces_fraction: float = MAX_SEVERAL_FACES_FRACTION,
) -> FaceTrackSummary:
    """One face, visible in most sampled frames. Returns `summary` when valid."""
    sampled = summary.frames_sampled
    if sampled == 0:
        raise MediaRejected("undecodable", "no frame of the video could be decoded")
    if summary.frames_with_several / sampled > max_several_faces_fraction:
        raise MediaRejected(
            "multiple_faces",
            f"{summary.frames_with_several} of {sampled} sampled frames show more than one face; record alone",
        )
    if summary.frames_with_one_face == 0:
        raise MediaRejected("no_face", f"no face was found in any of {sampled} sampled frames")
    if summary.frames_with_one_face / sampled < min_one_face_fraction:
        raise MediaRejected(
            "face_not_visible_enough",
            f"a face was seen in {summary.frames_with_one_face} of {sampled} sampled frames; "
            f"at least {min_one_face_fraction:.0%} needed (face the camera, in good light)",
        )
    return summary


# Full decoding ---------------------------------------------------------------------------------------------------

# Top-level ISO BMFF boxes a camera or a muxer writes; anything else at the top level is not part of the movie.
_MP4_TOP_LEVEL = frozenset(
    {b"ftyp", b"styp", b"moov", b"mdat", b"free", b"skip", b"wide", b"uuid", b"moof", b"mfra", b"sidx", b"meta",
     b"pdin", b"prft", b"emsg", b"ssix", b"udta", b"pnot", b"junk"}
)  # fmt: skip
# Matroska: the EBML header, the Segment, the Segment's level-1 children, and the Cluster's children (MediaRecorder
# writes Segments and Clusters of unknown size, which end where the next element of their level or above begins).
_EBML_HEADER, _SEGMENT, _CLUSTER = 0x1A45DFA3, 0x18538067, 0x1F43B675
_SEGMENT_CHILDREN = frozenset(
    {0x114D9B74, 0x1549A966, 0x1654AE6B, _CLUSTER, 0x1C53BB6B, 0x1043A770, 0x1254C367, 0x1941A469, 0xEC, 0xBF}
)
_CLUSTER_CHILDREN = frozenset({0xE7, 0xA3, 0xA0, 0xA7, 0xAB, 0x5854, 0xAF, 0xEC, 0xBF})


def _read_all(source: VideoSource) -> bytes:
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as f:
            return f.read()
    _rewind(source)
    data = source.read()
    _rewind(source)
    return data


def _ebml_vint(data: bytes, at: int, *, keep_marker: bool) -> tuple[int, int, bool]:
    """(value, length, all-ones) of the EBML variable-size integer at `at`; ValueError past the end or invalid."""
    if at >= len(data) or data[at] == 0:
        raise ValueError("invalid EBML number")
    first = data[at]
    length = 8 - first.bit_length() + 1
    if at + length > len(data):
        raise ValueError("EBML number past the end")
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[at + 1 : at + length]:
        value = (value << 8) | byte
    all_ones = not keep_marker and value == (1 << (7 * length)) - 1
    return value, length, all_ones


def _check_matroska_layout(data: bytes) -> None:
    def element(at: int) -> tuple[int, int, int | None]:
        ident, id_len, _ = _ebml_vint(data, at, keep_marker=True)
        size, size_len, unknown = _ebml_vint(data, at + id_len, keep_marker=False)
        body = at + id_len + size_len
        return ident, body, None if unknown else body + size

    at, end = 0, len(data)
    ident, body, stop = element(at)
    if ident != _EBML_HEADER or stop is None:
        raise ValueError("no EBML header")
    at = stop
    ident, body, stop = element(at)
    if ident != _SEGMENT:
        raise ValueError("no Segment after the EBML header")
    if stop is not None:
        if stop != end:
            raise ValueError(f"{end - stop} bytes after the Segment" if stop < end else "the Segment is cut short")
        return
    at = body
    while at < end:
        ident, child_body, child_stop = element(at)
        if ident not in _SEGMENT_CHILDREN:
            raise ValueError(f"unexpected element 0x{ident:X} at byte {at}")
        if child_stop is not None:
            if child_stop > end:
                raise ValueError("an element is cut short")
            at = child_stop
            continue
        if ident != _CLUSTER:
            raise ValueError("an element of unknown size other than a Cluster")
        at = child_body
        while at < end:
            inner, _, inner_stop = element(at)
            if inner in _SEGMENT_CHILDREN:
                break  # the unknown-size Cluster ends where the next level-1 element begins
            if inner not in _CLUSTER_CHILDREN or inner_stop is None or inner_stop > end:
                raise ValueError(f"unexpected data in a Cluster at byte {at}")
            at = inner_stop


def _check_mp4_layout(data: bytes) -> None:
    at, end = 0, len(data)
    while at < end:
        if at + 8 > end:
            raise ValueError(f"{end - at} stray bytes at the end")
        size, kind = int.from_bytes(data[at : at + 4], "big"), data[at + 4 : at + 8]
        if size == 1:
            if at + 16 > end:
                raise ValueError("a box header is cut short")
            size = int.from_bytes(data[at + 8 : at + 16], "big")
        elif size == 0:
            size = end - at  # "to the end of the file": only allowed for the last box
        if kind not in _MP4_TOP_LEVEL or size < 8:
            raise ValueError(f"unexpected data at byte {at}")
        if at + size > end:
            raise ValueError("a box is cut short")
        at += size


def check_container_layout(data: bytes, container_name: str) -> None:
    """The file holds its container and nothing else: no bytes appended after it, no unknown top-level data.

    Demuxers stop (MP4) or resynchronise (Matroska) at data they do not understand, so anything hidden after the
    movie, or a damaged box or element header, is invisible to decoding alone.
    """
    try:
        if "matroska" in container_name or "webm" in container_name:
            _check_matroska_layout(data)
        elif "mp4" in container_name or "mov" in container_name:
            _check_mp4_layout(data)
    except ValueError as exc:
        raise MediaRejected(
            "undecodable", f"the file holds more than its video, or a damaged structure: {exc}"
        ) from None


def decode_fully(
    source: VideoSource,
    *,
    on_video_frame: Callable[[float, Any], None] | None = None,
) -> int:
    """Decode every packet of every audio and video stream, front to back; returns the number of video frames.

    Any decoding or demuxing error, a packet flagged corrupt, or FFmpeg reporting an error while concealing a damaged
    picture (H.264 conceals bit flips silently unless its log is read) refuses the file as `undecodable`, as does
    data around the container (check_container_layout). `on_video_frame(t, frame)` sees each video frame with its
    time from the first frame, so callers analyse frames in the same single pass.
    """
    import av
    import av.logging

    container = open_container(source)
    container_name = container.format.name
    frames = 0
    errors: list[str] = []
    previous_level = av.logging.get_level()
    av.logging.set_level(av.logging.ERROR)
    try:
        with av.logging.Capture(True) as logs:
            streams = [s for s in container.streams if s.type in ("video", "audio")]
            for stream in streams:
                # One decoding thread: FFmpeg's worker threads log from their own threads, where a thread-local
                # capture cannot see the error messages that are the only sign of a concealed bit flip.
                stream.codec_context.thread_count = 1
            start: float | None = None
            try:
                for packet in container.demux(*streams):
                    if packet.is_corrupt:
                        raise MediaRejected("undecodable", "the file contains corrupt packets")
                    for frame in packet.decode():
                        if packet.stream.type != "video":
                            continue
                        t = float(frame.time) if frame.time is not None else frames / 25.0
                        start = t if start is None else start
                        frames += 1
                        if on_video_frame is not None:
                            on_video_frame(t - start, frame)
            except av.error.FFmpegError as exc:
                raise MediaRejected("undecodable", f"the file could not be decoded ({type(exc).__name__})") from None
        errors = [message.strip() for level, _, message in logs if level <= av.logging.ERROR]
    finally:
        av.logging.set_level(previous_level)
        container.close()
    if errors:
        raise MediaRejected("undecodable", f"the file is damaged: {errors[0]}")
    if frames == 0:
        raise MediaRejected("undecodable", "no frame of the video could be decoded")
    check_container_layout(_read_all(source), container_name)
    return frames
