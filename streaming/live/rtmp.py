"""RTMP push of a rendered stream: the engine's signed fMP4 segments remuxed (never re-encoded) into FLV over RTMP.

    pusher = RtmpPusher(url, init_segment=init.data, on_outage=ledger_it)
    for segment in segments:            # each segment's bytes as render.engine.stream publishes them
        pusher.push(segment)            # blocks until the segment's last packet is on the wire (paced)
    pusher.close()

**One encode, two outputs.** The HLS archive and the RTMP push carry the same H.264/AAC packets: the samples of each
media segment (ftyp + C2PA uuid + moof + mdat) are read from its track runs (the same packets FFmpeg's MP4 demuxer
finds, without its probing decode) and written by FFmpeg's FLV muxer (PyAV, format "flv") to the ingest, with the
codec configuration (avcC, AudioSpecificConfig) taken from the init segment. A push costs a box walk and a mux
(bench/bench_rtmp_push.py), not an encode, and what a platform receives is, sample for sample, what the 3-year
archive keeps.

**The AIGC label travels in onMetaData.** The GB 45438 Annex E JSON of the init segment's moov/udta/meta is checked
(render.engine.metadata.check_aigc_json) and set on the FLV container before the first packet, so the muxer writes
it into the `onMetaData` script tag of every connection (an ingest that keeps the publisher's metadata, e.g.
nginx-rtmp with `meta copy;`, hands it to every viewer). A stream without a valid label is refused, not pushed.

**One running timeline.** Output timestamps are the pusher's own: each segment is placed where the previous one
ended, whatever its sequence number says, so they stay monotonic across loops, worker takeovers (a new pusher may be
given `start_at_s`) and reconnects (a segment cut by a dropped connection is sent again, from its keyframe, after the
last timestamp the old connection carried).

**Real-time pacing.** A packet at output time T is written no earlier than `anchor + T - lookahead_s`, where the
anchor is the wall clock (injectable `clock`) when the first packet went out: a segment handed over early waits for
its slot, and at most `lookahead_s` of media is ever ahead of the wall clock. A segment handed over late (the
renderer fell behind, or an outage ended) re-anchors the timeline at "now": it is sent at once and paced from there,
never in a burst to catch up.

**Outages.** A refused, failed or dropped connection starts an outage: the pusher reconnects at once, then after
exponential backoff with jitter (`ReconnectPolicy`; injectable `sleep` and `random`), and calls `on_outage(Outage)`
when the outage ends, recovered or not, so the caller can ledger it. After `max_attempts` failed attempts (or
`give_up_after_s` of outage) it raises `RtmpGaveUpError`.

**The stream key is a secret.** `mask_rtmp_url` keeps the scheme, host, port and application and hides the key, the
query and any user:password; every log line and every exception this module raises uses the masked form, and
FFmpeg's own exception text (which quotes the URL) is rewritten and not chained (`from None`).
"""

from __future__ import annotations

import errno
import io
import ipaddress
import logging
import random as random_module
import re
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any
from urllib.parse import urlsplit

from render.engine import fmp4
from render.engine.encode import EncodedPart
from render.engine.metadata import MetadataError, check_aigc_json

__all__ = [
    "Outage",
    "PushReport",
    "ReconnectPolicy",
    "RtmpError",
    "RtmpGaveUpError",
    "RtmpPusher",
    "RtmpUrlError",
    "mask_rtmp_url",
    "validate_rtmp_url",
]

log = logging.getLogger("streaming.live.rtmp")

SCHEMES = ("rtmp", "rtmps")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")  # control characters and spaces: never part of an ingest URL or key
_MASK = "****"
AUDIO_RATE = 48_000  # the engine's AAC track (render.engine.encode)


class RtmpError(Exception):
    """The push failed; the message names the ingest by its masked URL only."""


class RtmpUrlError(RtmpError, ValueError):
    """An ingest URL the pusher refuses (scheme, host, application, key); `code` is stable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class RtmpGaveUpError(RtmpError):
    """The ingest stayed unreachable past the policy's limit; `outage` is the outage that ended the push."""

    def __init__(self, message: str, outage: Outage) -> None:
        super().__init__(message)
        self.outage = outage


# --- URLs ---------------------------------------------------------------------------------------------------------


def mask_rtmp_url(url: str) -> str:
    """`url` with the stream key (every path part after the application), the query and any credentials hidden:
    rtmp://user:pw@host:1935/live/key?token=x -> rtmp://****@host:1935/live/****. Never fails: a URL it cannot
    parse is masked whole."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return f"<{_MASK}>"
    if not parts.scheme or not host or _CONTROL.search(url):
        return f"<{_MASK}>"
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    if parts.username is not None or parts.password is not None:
        netloc = f"{_MASK}@{netloc}"
    path = [p for p in parts.path.split("/") if p]
    shown = "/" + path[0] if path else ""
    if len(path) > 1 or parts.query or parts.fragment:
        shown += "/" + _MASK
    return f"{parts.scheme}://{netloc}{shown}"


def _secrets_of(url: str) -> list[str]:
    """The substrings of `url` that must never be shown: the whole URL, the key path, query and credentials."""
    secrets = [url]
    try:
        parts = urlsplit(url)
        path = [p for p in parts.path.split("/") if p]
        secrets += ["/".join(path[1:]), *path[1:]]
        secrets += [s for s in (parts.query, parts.fragment, parts.username, parts.password) if s]
    except ValueError:
        pass
    return sorted({s for s in secrets if len(s) >= 3}, key=len, reverse=True)


def _scrub(text: str, url: str) -> str:
    for secret in _secrets_of(url):
        text = text.replace(secret, mask_rtmp_url(url) if secret == url else _MASK)
    return text


def validate_rtmp_url(url: str, *, allow_private_hosts: bool = True) -> str:
    """`url` if it is an RTMP(S) ingest URL with a host, an application and a stream key; else RtmpUrlError.

    allow_private_hosts=False (production settings, against SSRF) also refuses loopback, private, link-local and
    unspecified IP literals and `localhost`; a name that resolves to such an address must be refused where the URL
    is stored (resolving here would check a different moment than the connection)."""
    if not isinstance(url, str) or not url:
        raise RtmpUrlError("missing", "an RTMP ingest URL is required")
    if _CONTROL.search(url):
        raise RtmpUrlError("control_characters", "the RTMP URL or stream key contains spaces or control characters")
    masked = mask_rtmp_url(url)
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018  # raises ValueError for a port outside 0-65535
    except ValueError:
        raise RtmpUrlError("malformed", f"{masked} is not a valid URL") from None
    if parts.scheme.lower() not in SCHEMES:
        raise RtmpUrlError("scheme", f"{masked}: the scheme must be rtmp or rtmps, not {parts.scheme or 'none'!r}")
    if not host:
        raise RtmpUrlError("host", f"{masked}: the URL names no host")
    path = [p for p in parts.path.split("/") if p]
    if len(path) < 2:
        raise RtmpUrlError("stream_key", f"{masked}: expected rtmp://host[:port]/application/stream-key")
    if not allow_private_hosts:
        private = host.lower() == "localhost" or host.lower().endswith(".localhost")
        try:
            address = ipaddress.ip_address(host)
            private = private or not address.is_global
        except ValueError:
            pass
        if private:
            raise RtmpUrlError("private_host", f"{masked}: private, loopback and link-local hosts are refused")
    return url


# --- policy and reports -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReconnectPolicy:
    """Reconnect at once, then wait initial_delay_s · multiplier^(n-1) (capped at max_delay_s) after the n-th failed
    attempt, less up to `jitter` of it at random (so many pushers cut by one ingest restart do not return in step);
    give up after `max_attempts` failed attempts in one outage, or once an outage lasts `give_up_after_s`."""

    initial_delay_s: float = 0.5
    multiplier: float = 2.0
    max_delay_s: float = 15.0
    jitter: float = 0.5
    max_attempts: int = 10
    give_up_after_s: float | None = 120.0

    def __post_init__(self) -> None:
        if self.initial_delay_s < 0 or self.max_delay_s < self.initial_delay_s or self.multiplier < 1:
            raise ValueError("backoff needs 0 <= initial_delay_s <= max_delay_s and multiplier >= 1")
        if not 0 <= self.jitter <= 1:
            raise ValueError("jitter is a fraction of the delay, 0..1")
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1 (an outage is never retried forever)")
        if self.give_up_after_s is not None and self.give_up_after_s <= 0:
            raise ValueError("give_up_after_s must be positive (or None: only max_attempts limits an outage)")

    def delay(self, failed_attempts: int, random: Callable[[], float]) -> float:
        """Seconds to wait after `failed_attempts` (>= 1) failed attempts in a row."""
        full = min(self.max_delay_s, self.initial_delay_s * self.multiplier ** (failed_attempts - 1))
        return full * (1 - self.jitter * random())


@dataclass
class Outage:
    """One stretch without a connection to the ingest, in `clock` seconds: what the caller puts in the ledger."""

    started_at: float
    reason: str  # the first failure, masked: "refused: ...", "dropped: ...", "failed: ..."
    attempts: int = 0  # connection attempts that failed
    ended_at: float | None = None
    recovered: bool = False
    last_reason: str = ""
    delays: list[float] = field(default_factory=list)  # the backoff waits, in order

    @property
    def duration_s(self) -> float:
        return (self.ended_at if self.ended_at is not None else self.started_at) - self.started_at


@dataclass(frozen=True)
class PushReport:
    index: int  # 0-based count of segments pushed by this pusher
    packets: int
    start_s: float  # output timeline (seconds) of the segment's first video packet
    duration_s: float
    late_s: float  # how far past its slot the segment was handed over (0 when on time or early)
    resent: int  # times the segment was sent again after a dropped connection
    # The caller's `interrupt` said stop before the segment's end: the rest of it was not sent (the next segment
    # starts right after the last packet that was).
    interrupted: bool = False


@dataclass
class _Packet:
    packet: Any  # av.Packet
    video: bool
    time: Fraction  # input seconds (decode time)
    duration: Fraction
    cts: Fraction = Fraction(0)  # presentation - decode time (0 for the engine's streams: no B-frames)


# --- the pusher ---------------------------------------------------------------------------------------------------


class _InterruptedError(Exception):
    pass


class _DroppedError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RtmpPusher:
    """Pushes one stream's segments to one RTMP ingest (see the module docstring). Not thread-safe: one caller."""

    def __init__(
        self,
        url: str,
        *,
        init_segment: bytes,
        policy: ReconnectPolicy | None = None,
        on_outage: Callable[[Outage], None] | None = None,
        lookahead_s: float = 0.5,
        pace: bool = True,
        start_at_s: float = 0.0,
        io_timeout_s: float = 5.0,
        probe: bool = True,
        allow_private_hosts: bool = True,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        random: Callable[[], float] = random_module.random,
    ) -> None:
        import av

        self._url = validate_rtmp_url(url, allow_private_hosts=allow_private_hosts)
        self.masked_url = mask_rtmp_url(url)
        self.policy = policy or ReconnectPolicy()
        self._on_outage = on_outage
        if lookahead_s < 0:
            raise ValueError("lookahead_s must be >= 0")
        self.lookahead_s = lookahead_s
        self.pace = pace
        self._io_timeout_s = io_timeout_s
        self.probe = probe
        self._clock, self._sleep, self._random = clock, sleep, random
        self._init = bytes(init_segment)
        try:
            self._template = av.open(io.BytesIO(self._init), format="mp4")
        except (av.FFmpegError, OSError) as exc:
            raise RtmpError(f"the init segment cannot be read as MP4: {exc}") from None
        video, audio = self._template.streams.video, self._template.streams.audio
        if len(video) != 1 or len(audio) != 1:
            raise RtmpError("the init segment must have one video and one audio track")
        if video[0].codec_context.name != "h264" or audio[0].codec_context.name != "aac":
            raise RtmpError("FLV carries the stream as it is encoded: H.264 video and AAC audio are required")
        try:
            self.aigc = check_aigc_json(self._template.metadata.get("AIGC", ""))
        except MetadataError as exc:
            raise RtmpError(f"the init segment carries no valid AIGC label, so nothing is pushed: {exc}") from None
        self._aigc_json = self._template.metadata["AIGC"]
        # track id (tkhd) -> (template stream, is video): the moof's trafs name their track by id.
        self._tracks = {video[0].id: (video[0], True), audio[0].id: (audio[0], False)}
        rate = video[0].average_rate or video[0].guessed_rate
        self._frame = Fraction(1, int(rate)) if rate else Fraction(1, 30)

        self._out: Any = None
        self._streams: tuple[Any, Any] | None = None
        self._cursor = Fraction(start_at_s).limit_denominator(90_000)  # output time where the next segment starts
        self._last_sent: dict[bool, Fraction] = {}  # per track (video?): the last output dts written
        self._anchor: float | None = None  # clock() at output time 0
        self._pushed = 0
        self._outage: Outage | None = None
        self.outages: list[Outage] = []
        self.connections = 0
        self._closed = False
        self._gop_broken = False  # a part was lost: parts wait for the next keyframe (push_part)
        self._shift = Fraction(0)  # output time - input time of the last packets sent

    # -- public --------------------------------------------------------------------------------------------------
    @property
    def timeline_s(self) -> float:
        """Output time (seconds) where the next segment will start."""
        return float(self._cursor)

    def push(self, segment: bytes, *, interrupt: Callable[[], bool] | None = None) -> PushReport:
        """Send one media segment (this stream's, as render_segment published it), paced; reconnects as needed.
        Raises RtmpGaveUpError when the ingest stays unreachable past the policy, RtmpError for a segment it cannot
        read. `interrupt` is asked before each video frame (it must be cheap): True stops the segment there, so a
        consent revocation cuts what was rendered ahead instead of letting it play out."""
        if self._closed:
            raise RtmpError(f"the push to {self.masked_url} is closed")
        return self._push_packets(self._demux(segment), interrupt, whole=True)

    def push_part(self, part: EncodedPart, *, interrupt: Callable[[], bool] | None = None) -> PushReport:
        """Send the samples of a segment still being rendered (render.engine.live_segment), paced, right after
        what was sent before. A part that does not open its segment (no keyframe) cannot open a connection: after an
        outage or a dropped part the next parts are skipped until a segment's first part (the viewer sees a short
        freeze); a part cut by a dropped connection is not sent again."""
        if self._closed:
            raise RtmpError(f"the push to {self.masked_url} is closed")
        packets = self._part_packets(part)
        if not packets:
            return PushReport(self._pushed, 0, float(self._cursor), 0.0, 0.0, 0)
        opens_segment = packets[0].video and packets[0].packet.is_keyframe
        if not opens_segment and (self._out is None or self._gop_broken):
            self._gop_broken = True
            return PushReport(self._pushed, 0, float(self._cursor), 0.0, 0.0, 0)
        return self._push_packets(packets, interrupt, whole=False)

    def skip_part(self) -> None:
        """A part the caller dropped (stale): the parts after it wait for the next segment's first part."""
        self._gop_broken = True

    def _push_packets(self, packets: list[_Packet], interrupt: Callable[[], bool] | None, *, whole: bool) -> PushReport:
        late = 0.0
        resent = 0
        while True:
            if self._out is None:
                self._connect()
            start = self._cursor
            now = self._clock()
            if self._anchor is None:
                self._anchor = now - float(start)
            slot = self._anchor + float(start)
            if self.pace and now > slot:
                late = max(late, now - slot)
                self._anchor = now - float(start)  # re-anchor: send at once, then pace from here
            try:
                end = self._send(packets, start, interrupt)
            except _InterruptedError:
                self._cursor = max(self._cursor, max(self._last_sent.values(), default=start) + self._frame)
                report = PushReport(
                    self._pushed, len(packets), float(start), float(self._cursor - start), late, resent, True
                )
                self._pushed += 1
                return report
            except _DroppedError as exc:
                self._disconnect()
                self._begin_outage(f"dropped: {exc.reason}")
                # Resend the whole segment (from its keyframe) after everything the old connection carried; a part
                # has no keyframe to start from: the next segment's first part reconnects.
                self._cursor = max(self._cursor, max(self._last_sent.values(), default=start) + self._frame)
                if not whole:
                    self._gop_broken = True
                    return PushReport(self._pushed, len(packets), float(start), 0.0, late, resent, True)
                resent += 1
                continue
            self._gop_broken = False
            self._cursor = end
            report = PushReport(self._pushed, len(packets), float(start), float(end - start), late, resent)
            self._pushed += 1
            return report

    def close(self) -> None:
        """End the push (the FLV trailer and the RTMP unpublish); an error here is logged, masked, not raised."""
        self._closed = True
        self._disconnect()
        self._template.close()

    def __enter__(self) -> RtmpPusher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- segments ------------------------------------------------------------------------------------------------
    def _part_packets(self, part: EncodedPart) -> list[_Packet]:
        """A part's samples as packets in output order (by time, video first on a tie)."""
        import av

        video_base = Fraction(1, fmp4.VIDEO_TIMESCALE)
        audio_base = Fraction(1, AUDIO_RATE)
        packets: list[_Packet] = []
        for i, sample in enumerate(part.video):
            packet = av.Packet(sample.data)
            packet.time_base = video_base
            packet.is_keyframe = sample.keyframe
            duration = Fraction(sample.duration, fmp4.VIDEO_TIMESCALE)  # every frame of a stream lasts as long
            packets.append(_Packet(packet, True, (part.first_frame + i) * duration, duration))
        for i, sample in enumerate(part.audio):
            packet = av.Packet(sample.data)
            packet.time_base = audio_base
            packet.is_keyframe = True
            at = Fraction(part.first_audio_sample + i * sample.duration, AUDIO_RATE)
            packets.append(_Packet(packet, False, at, Fraction(sample.duration, AUDIO_RATE)))
        packets.sort(key=lambda p: (p.time, not p.video))
        return packets

    def _demux(self, segment: bytes) -> list[_Packet]:
        """The segment's packets in output order (by time, video first on a tie), read from its moof boxes.

        The boxes are walked here rather than by FFmpeg's MP4 demuxer: opening init + segment with PyAV probes the
        streams by decoding a frame, 25-70 ms per 2 s segment at 720p; reading the track runs costs well under 1 ms
        (bench/bench_rtmp_push.py). The sample bytes are the published ones, length-prefixed H.264 and raw AAC,
        which is what FLV carries."""
        import av

        data = bytes(segment)
        packets: list[_Packet] = []
        try:
            for moof in (b for b in fmp4.iter_boxes(data) if b.kind == "moof"):
                for traf in (b for b in fmp4.children(data, moof) if b.kind == "traf"):
                    packets += self._track_run(data, moof, traf, av)
        except (fmp4.BoxError, struct.error, KeyError) as exc:
            raise RtmpError(f"a segment cannot be read as this stream's fMP4: {exc}") from None
        videos = [p for p in packets if p.video]
        if not videos or not videos[0].packet.is_keyframe:
            raise RtmpError("a segment must start with a video keyframe (the engine opens every segment with an IDR)")
        packets.sort(key=lambda p: (p.time, not p.video))
        return packets

    def _track_run(self, data: bytes, moof: fmp4.Box, traf: fmp4.Box, av: Any) -> list[_Packet]:
        """ISO/IEC 14496-12 tfhd + tfdt + trun of one track fragment -> packets (any flags the standard allows)."""
        boxes = {b.kind: b for b in fmp4.children(data, traf)}
        tfhd, trun = boxes["tfhd"], boxes["trun"]
        pos = tfhd.payload_offset
        (head,) = struct.unpack_from(">I", data, pos)
        flags, (track_id,) = head & 0xFFFFFF, struct.unpack_from(">I", data, pos + 4)
        pos += 8
        base_offset = moof.offset
        if flags & 0x1:
            (base_offset,) = struct.unpack_from(">Q", data, pos)
            pos += 8
        if flags & 0x2:
            pos += 4
        default_duration = default_size = default_flags = 0
        if flags & 0x8:
            (default_duration,) = struct.unpack_from(">I", data, pos)
            pos += 4
        if flags & 0x10:
            (default_size,) = struct.unpack_from(">I", data, pos)
            pos += 4
        if flags & 0x20:
            (default_flags,) = struct.unpack_from(">I", data, pos)
        stream, video = self._tracks[track_id]
        time_base = Fraction(stream.time_base or Fraction(1, 90_000 if video else 48_000))
        decode_time = 0
        if "tfdt" in boxes:
            tfdt = boxes["tfdt"]
            version = data[tfdt.payload_offset]
            decode_time = struct.unpack_from(">Q" if version else ">I", data, tfdt.payload_offset + 4)[0]

        pos = trun.payload_offset
        (head,) = struct.unpack_from(">I", data, pos)
        version, flags = head >> 24, head & 0xFFFFFF
        (count,) = struct.unpack_from(">I", data, pos + 4)
        pos += 8
        offset = base_offset
        if flags & 0x1:
            offset += struct.unpack_from(">i", data, pos)[0]
            pos += 4
        first_flags = None
        if flags & 0x4:
            (first_flags,) = struct.unpack_from(">I", data, pos)
            pos += 4
        packets = []
        for i in range(count):
            duration, size, sample_flags, cts = default_duration, default_size, default_flags, 0
            if flags & 0x100:
                (duration,) = struct.unpack_from(">I", data, pos)
                pos += 4
            if flags & 0x200:
                (size,) = struct.unpack_from(">I", data, pos)
                pos += 4
            if flags & 0x400:
                (sample_flags,) = struct.unpack_from(">I", data, pos)
                pos += 4
            elif i == 0 and first_flags is not None:
                sample_flags = first_flags
            if flags & 0x800:
                (cts,) = struct.unpack_from(">i" if version else ">I", data, pos)
                pos += 4
            if offset + size > len(data):
                raise fmp4.BoxError(f"track {track_id} sample {i} runs past the end of the segment")
            packet = av.Packet(data[offset : offset + size])
            packet.time_base = time_base
            packet.dts, packet.pts, packet.duration = decode_time, decode_time + cts, duration
            packet.is_keyframe = not (sample_flags & 0x10000) if video else True
            packets.append(
                _Packet(
                    packet,
                    video,
                    Fraction(decode_time) * time_base,
                    Fraction(duration) * time_base,
                    Fraction(cts) * time_base,
                )
            )
            offset += size
            decode_time += duration
        return packets

    def _send(self, packets: list[_Packet], start: Fraction, interrupt: Callable[[], bool] | None = None) -> Fraction:
        """Write `packets` with the segment placed at output time `start`; returns where the next one starts."""
        import av

        assert self._out is not None
        assert self._streams is not None
        assert self._anchor is not None
        origin = next((p.time for p in packets if p.video), None)
        # Output time = input time + shift; a part of only audio (the end of a segment's audio) keeps the shift of
        # the video before it.
        shift = self._shift if origin is None else start - origin
        self._shift = shift
        end = start
        for p in packets:
            at = p.time + shift
            last = self._last_sent.get(p.video)
            if last is not None and at <= last:
                at = last + Fraction(1, 1000)  # FLV has millisecond timestamps; never repeat or go back
            if self.pace:
                wait = self._anchor + float(at) - self.lookahead_s - self._clock()
                if wait > 0.002:
                    self._sleep(wait)
            if interrupt is not None and p.video and interrupt():
                raise _InterruptedError
            packet = p.packet
            base = packet.time_base
            ticks = round(at / base)
            packet.dts = ticks
            packet.pts = round((at + p.cts) / base)
            packet.stream = self._streams[0] if p.video else self._streams[1]
            try:
                self._out.mux_one(packet)
            except (av.FFmpegError, OSError) as exc:
                raise _DroppedError(self._reason(exc)) from None
            self._last_sent[p.video] = at
            if p.video:
                end = max(end, at + (p.duration or self._frame))
        return end

    # -- connections ---------------------------------------------------------------------------------------------
    def _probe(self) -> None:
        """An RTMP handshake (C0+C1, then S0+S1+S2 within `io_timeout_s`) on a socket of our own before FFmpeg
        connects: PyAV opens an output without any timeout and holding the GIL, so an unreachable or silent ingest
        would freeze the whole worker process; this way it costs `io_timeout_s` and is an ordinary failed attempt."""
        import os
        import socket
        import ssl

        parts = urlsplit(self._url)
        tls = parts.scheme.lower() == "rtmps"
        host, port = parts.hostname or "", parts.port or (443 if tls else 1935)
        with socket.create_connection((host, port), timeout=self._io_timeout_s) as raw:
            sock = ssl.create_default_context().wrap_socket(raw, server_hostname=host) if tls else raw
            sock.settimeout(self._io_timeout_s)
            sock.sendall(b"\x03" + bytes(8) + os.urandom(1528))
            received = b""
            while len(received) < 1 + 2 * 1536:
                chunk = sock.recv(4096)
                if not chunk:
                    raise ConnectionResetError(errno.ECONNRESET, "the ingest closed the connection in the handshake")
                received += chunk
            if received[0] != 3:
                raise ConnectionError(errno.EPROTO, "the ingest does not speak RTMP")

    def _open(self) -> None:
        import av

        if self.probe:
            self._probe()
        out = av.open(
            self._url,
            mode="w",
            format="flv",
            options={"flvflags": "no_duration_filesize"},
            timeout=self._io_timeout_s,
        )
        try:
            video = out.add_stream_from_template(self._template.streams.video[0])
            audio = out.add_stream_from_template(self._template.streams.audio[0])
            out.metadata["AIGC"] = self._aigc_json  # written into onMetaData with the header
            out.start_encoding()
        except BaseException:
            out.close()
            raise
        self._out, self._streams = out, (video, audio)
        self.connections += 1

    def _connect(self) -> None:
        """Open a connection, retrying with backoff; ends (and reports) the outage in progress, or raises
        RtmpGaveUpError."""
        import av

        policy = self.policy
        while True:
            try:
                self._open()
            except (av.FFmpegError, OSError) as exc:  # socket.timeout and ssl errors are OSErrors
                reason = self._reason(exc)
                outage = self._begin_outage(reason)
                outage.attempts += 1
                outage.last_reason = reason
                elapsed = self._clock() - outage.started_at
                if outage.attempts >= policy.max_attempts or (
                    policy.give_up_after_s is not None and elapsed >= policy.give_up_after_s
                ):
                    self._end_outage(recovered=False)
                    raise RtmpGaveUpError(
                        f"gave up pushing to {self.masked_url} after {outage.attempts} failed connection attempts "
                        f"over {elapsed:.1f} s: {reason}",
                        outage,
                    ) from None
                delay = policy.delay(outage.attempts, self._random)
                outage.delays.append(delay)
                log.warning(
                    "RTMP push to %s: attempt %d failed (%s); retrying in %.2f s",
                    self.masked_url,
                    outage.attempts,
                    reason,
                    delay,
                )
                self._sleep(delay)
                continue
            if self._outage is not None:
                self._end_outage(recovered=True)
            log.info("RTMP push to %s: connected", self.masked_url)
            return

    def _disconnect(self) -> None:
        out, self._out, self._streams = self._out, None, None
        if out is None:
            return
        try:
            out.close()
        except Exception as exc:  # a dead connection cannot be closed cleanly; it is gone anyway
            log.info("RTMP push to %s: closing a broken connection: %s", self.masked_url, self._reason(exc))

    def _begin_outage(self, reason: str) -> Outage:
        if self._outage is None:
            self._outage = Outage(started_at=self._clock(), reason=reason, last_reason=reason)
            log.warning("RTMP push to %s: outage (%s)", self.masked_url, reason)
        return self._outage

    def _end_outage(self, *, recovered: bool) -> None:
        outage, self._outage = self._outage, None
        if outage is None:
            return
        outage.ended_at = self._clock()
        outage.recovered = recovered
        self.outages.append(outage)
        log.warning(
            "RTMP push to %s: outage %s after %.2f s and %d failed attempts (%s)",
            self.masked_url,
            "over" if recovered else "gave up",
            outage.duration_s,
            outage.attempts,
            outage.reason,
        )
        if self._on_outage is not None:
            self._on_outage(outage)

    def _reason(self, exc: BaseException) -> str:
        """A short, masked reason: FFmpeg's messages quote the URL (and so the stream key)."""
        number = getattr(exc, "errno", None)
        if isinstance(exc, TimeoutError):
            number = errno.ETIMEDOUT
        kind = {
            errno.ECONNREFUSED: "refused",
            errno.ECONNRESET: "reset",
            errno.EPIPE: "broken pipe",
            errno.ETIMEDOUT: "timed out",
            # FFmpeg's answer to an RTMP error status from the ingest, e.g. nginx-rtmp's "already publishing" while it
            # still holds the previous session of the same stream key, or a key it does not accept.
            errno.EPERM: "rejected by the ingest",
            errno.EACCES: "rejected by the ingest",
        }.get(number or 0, "failed")
        text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        if isinstance(exc, TimeoutError):
            text = f"no answer within {self._io_timeout_s:g} s"
        return _scrub(f"{kind}: {text}", self._url)
