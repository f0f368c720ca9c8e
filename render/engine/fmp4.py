"""A small fragmented-MP4 (CMAF/HLS) writer and an ISO BMFF box walker, for H.264 + AAC.

Why write boxes ourselves instead of using FFmpeg's mp4 muxer: FFmpeg emits a fragment only when the *next*
keyframe arrives, which delays every live segment by one segment, and it rewrites timestamps (edit lists, tfdt)
in ways that are awkward to control per segment. Here the encoders stay open for the whole stream and each 2 s
segment is written the moment its last frame is encoded: an init segment (ftyp + moov, with the GB 45438 AIGC
metadata in moov/udta/meta) and media segments (styp + moof + mdat, one video and one audio track run each).

Layouts follow ISO/IEC 14496-12 (boxes), 14496-15 (avcC) and 14496-14 (esds); the AIGC metadata box is the one
FFmpeg writes with `-movflags use_metadata_tags` (hdlr 'mdta', keys, ilst), which FFmpeg/PyAV and exiftool read.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass

VIDEO_TRACK_ID = 1
AUDIO_TRACK_ID = 2
VIDEO_TIMESCALE = 90_000
_MATRIX = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
_SYNC_SAMPLE_FLAGS = 0x02000000  # sample_depends_on = 2 (independent)
_NON_SYNC_SAMPLE_FLAGS = 0x01010000  # sample_depends_on = 1, sample_is_non_sync_sample = 1


class BoxError(ValueError):
    """Malformed ISO BMFF data."""


def box(kind: bytes, *payload: bytes) -> bytes:
    body = b"".join(payload)
    return struct.pack(">I", 8 + len(body)) + kind + body


def full_box(kind: bytes, version: int, flags: int, *payload: bytes) -> bytes:
    return box(kind, struct.pack(">I", (version << 24) | flags), *payload)


# --- reading ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    kind: str
    offset: int  # of the box header within the buffer walked
    size: int
    header: int  # 8, or 16 for a 64-bit size

    @property
    def payload_offset(self) -> int:
        return self.offset + self.header


def iter_boxes(data: bytes, start: int = 0, end: int | None = None) -> Iterator[Box]:
    end = len(data) if end is None else end
    pos = start
    while pos < end:
        if end - pos < 8:
            raise BoxError(f"truncated box header at offset {pos}")
        size, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1:
            (size,) = struct.unpack_from(">Q", data, pos + 8)
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise BoxError(f"box {kind!r} at offset {pos} has bad size {size}")
        yield Box(kind.decode("latin-1"), pos, size, header)
        pos += size


_CONTAINERS = {"moov", "trak", "mdia", "minf", "stbl", "udta", "mvex", "moof", "traf", "edts", "dinf"}
_FULL_CONTAINERS = {"meta"}  # version/flags before children


def children(data: bytes, parent: Box) -> Iterator[Box]:
    start = parent.payload_offset + (4 if parent.kind in _FULL_CONTAINERS else 0)
    return iter_boxes(data, start, parent.offset + parent.size)


def find_box(data: bytes, path: str) -> Box | None:
    """The first box at a slash-separated path, e.g. 'moov/udta/meta'."""
    parts = path.split("/")
    candidates = iter_boxes(data)
    found: Box | None = None
    for i, part in enumerate(parts):
        found = next((b for b in candidates if b.kind == part), None)
        if found is None:
            return None
        if i < len(parts) - 1:
            candidates = children(data, found)
    return found


def top_level_kinds(data: bytes) -> list[str]:
    return [b.kind for b in iter_boxes(data)]


def read_mdta_metadata(init_segment: bytes) -> dict[str, str]:
    """Keys and UTF-8 values of moov/udta/meta in FFmpeg's mdta style (hdlr 'mdta', keys, ilst)."""
    return dict(read_mdta_items(init_segment))


def read_mdta_items(init_segment: bytes) -> list[tuple[str, str]]:
    """Every (key, value) of moov/udta/meta in key order, repeats kept (GB 45438 allows one AIGC label per file)."""
    meta = find_box(init_segment, "moov/udta/meta")
    if meta is None:
        return []
    keys: list[str] = []
    values: dict[int, str] = {}
    try:
        for child in children(init_segment, meta):
            p = child.payload_offset
            if child.kind == "keys":
                (count,) = struct.unpack_from(">I", init_segment, p + 4)
                q = p + 8
                for _ in range(count):
                    size, _namespace = struct.unpack_from(">I4s", init_segment, q)
                    keys.append(init_segment[q + 8 : q + size].decode("utf-8"))
                    q += size
            elif child.kind == "ilst":
                for item in iter_boxes(init_segment, p, child.offset + child.size):
                    index = int.from_bytes(item.kind.encode("latin-1"), "big")
                    for data_box in iter_boxes(init_segment, item.payload_offset, item.offset + item.size):
                        if data_box.kind == "data":
                            raw = init_segment[data_box.payload_offset + 8 : data_box.offset + data_box.size]
                            values[index] = raw.decode("utf-8")
    except (struct.error, UnicodeDecodeError) as exc:
        raise BoxError(f"malformed moov/udta/meta: {exc}") from exc
    return [(keys[i - 1], v) for i, v in sorted(values.items()) if 0 < i <= len(keys)]


# --- codec configuration ------------------------------------------------------------------------------------------


def split_annexb(data: bytes) -> list[bytes]:
    """NAL units of an H.264 Annex B byte stream (start codes 00 00 01 / 00 00 00 01)."""
    nals: list[bytes] = []
    starts: list[int] = []
    i = data.find(b"\x00\x00\x01")
    while i != -1:
        starts.append(i + 3)
        i = data.find(b"\x00\x00\x01", i + 3)
    for n, s in enumerate(starts):
        e = starts[n + 1] - 3 if n + 1 < len(starts) else len(data)
        nal = data[s:e]
        if n + 1 < len(starts):
            nal = nal.rstrip(b"\x00")  # the leading zero of a following 4-byte start code
        if nal:
            nals.append(nal)
    return nals


def annexb_to_length_prefixed(data: bytes) -> bytes:
    return b"".join(struct.pack(">I", len(nal)) + nal for nal in split_annexb(data))


def avcc_from_annexb(extradata: bytes) -> bytes:
    """avcC (AVCDecoderConfigurationRecord) from x264's Annex B global header (SPS + PPS)."""
    nals = split_annexb(extradata)
    sps = [n for n in nals if n[0] & 0x1F == 7]
    pps = [n for n in nals if n[0] & 0x1F == 8]
    if not sps or not pps:
        raise BoxError("encoder extradata lacks SPS or PPS")
    profile, compat, level = sps[0][1], sps[0][2], sps[0][3]
    record = bytes([1, profile, compat, level, 0xFF, 0xE0 | len(sps)])
    record += b"".join(struct.pack(">H", len(s)) + s for s in sps)
    record += bytes([len(pps)]) + b"".join(struct.pack(">H", len(p)) + p for p in pps)
    if profile in (100, 110, 122, 144):
        # High-profile extension: 4:2:0 chroma, 8-bit luma and chroma, no SPS extensions.
        record += bytes([0xFC | 1, 0xF8 | 0, 0xF8 | 0, 0])
    return box(b"avcC", record)


def _descriptor(tag: int, body: bytes) -> bytes:
    if len(body) > 127:
        raise BoxError("descriptor too long")
    return bytes([tag, len(body)]) + body


def esds_box(audio_specific_config: bytes, bitrate: int) -> bytes:
    dsi = _descriptor(0x05, audio_specific_config)
    dcd = _descriptor(0x04, bytes([0x40, 0x15]) + (0).to_bytes(3, "big") + struct.pack(">II", bitrate, bitrate) + dsi)
    sl = _descriptor(0x06, b"\x02")
    es = _descriptor(0x03, struct.pack(">HB", 0, 0) + dcd + sl)
    return full_box(b"esds", 0, 0, es)


# --- init segment -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrackConfig:
    width: int
    height: int
    fps: int
    avcc: bytes
    sample_rate: int
    channels: int
    audio_specific_config: bytes
    audio_bitrate: int
    audio_priming: int  # encoder delay in samples, hidden by an edit list (0: none in the track, no edit list)


def mdta_meta_box(items: dict[str, str]) -> bytes:
    hdlr = full_box(b"hdlr", 0, 0, struct.pack(">I4s12s", 0, b"mdta", b"\x00" * 12), b"\x00")
    keys = full_box(
        b"keys",
        0,
        0,
        struct.pack(">I", len(items)),
        *(struct.pack(">I", 8 + len(k.encode())) + b"mdta" + k.encode() for k in items),
    )
    ilst = box(
        b"ilst",
        *(
            box(struct.pack(">I", i + 1), box(b"data", struct.pack(">II", 1, 0), v.encode("utf-8")))
            for i, v in enumerate(items.values())
        ),
    )
    return full_box(b"meta", 0, 0, hdlr, keys, ilst)


def _tkhd(track_id: int, *, audio: bool, width: int = 0, height: int = 0) -> bytes:
    return full_box(
        b"tkhd",
        0,
        3,  # enabled, in movie
        struct.pack(">IIIII", 0, 0, track_id, 0, 0),
        b"\x00" * 8,
        struct.pack(">hhhH", 0, 0, 0x0100 if audio else 0, 0),
        _MATRIX,
        struct.pack(">II", width << 16, height << 16),
    )


def _mdhd(timescale: int) -> bytes:
    return full_box(b"mdhd", 0, 0, struct.pack(">IIIIHH", 0, 0, timescale, 0, 0x55C4, 0))  # language 'und'


def _hdlr(handler: bytes, name: str) -> bytes:
    return full_box(b"hdlr", 0, 0, struct.pack(">I4s12s", 0, handler, b"\x00" * 12), name.encode() + b"\x00")


def _dinf() -> bytes:
    return box(b"dinf", full_box(b"dref", 0, 0, struct.pack(">I", 1), full_box(b"url ", 0, 1)))


def _empty_stbl(sample_entry: bytes) -> bytes:
    return box(
        b"stbl",
        full_box(b"stsd", 0, 0, struct.pack(">I", 1), sample_entry),
        full_box(b"stts", 0, 0, struct.pack(">I", 0)),
        full_box(b"stsc", 0, 0, struct.pack(">I", 0)),
        full_box(b"stsz", 0, 0, struct.pack(">II", 0, 0)),
        full_box(b"stco", 0, 0, struct.pack(">I", 0)),
    )


def init_segment(config: TrackConfig, metadata: dict[str, str]) -> bytes:
    avc1 = box(
        b"avc1",
        b"\x00" * 6,
        struct.pack(">H", 1),
        b"\x00" * 16,
        struct.pack(">HHIIIH", config.width, config.height, 0x00480000, 0x00480000, 0, 1),
        b"\x00" * 32,
        struct.pack(">Hh", 0x18, -1),
        config.avcc,
    )
    mp4a = box(
        b"mp4a",
        b"\x00" * 6,
        struct.pack(">H", 1),
        b"\x00" * 8,
        struct.pack(">HHHHI", config.channels, 16, 0, 0, config.sample_rate << 16),
        esds_box(config.audio_specific_config, config.audio_bitrate),
    )
    video = box(
        b"trak",
        _tkhd(VIDEO_TRACK_ID, audio=False, width=config.width, height=config.height),
        box(
            b"mdia",
            _mdhd(VIDEO_TIMESCALE),
            _hdlr(b"vide", "VideoHandler"),
            box(b"minf", full_box(b"vmhd", 0, 1, b"\x00" * 8), _dinf(), _empty_stbl(avc1)),
        ),
    )
    # Priming samples at the start of the media timeline are skipped by an edit list. Streams publish none (see
    # encode.aac_packet_span), and then no edit list is written: players differ in how they apply one in fMP4.
    elst = full_box(b"elst", 0, 0, struct.pack(">IIiHH", 1, 0, config.audio_priming, 1, 0))
    audio = box(
        b"trak",
        _tkhd(AUDIO_TRACK_ID, audio=True),
        box(b"edts", elst) if config.audio_priming else b"",
        box(
            b"mdia",
            _mdhd(config.sample_rate),
            _hdlr(b"soun", "SoundHandler"),
            box(b"minf", full_box(b"smhd", 0, 0, b"\x00" * 4), _dinf(), _empty_stbl(mp4a)),
        ),
    )
    mvhd = full_box(
        b"mvhd",
        0,
        0,
        struct.pack(">IIII", 0, 0, 1000, 0),
        struct.pack(">IH", 0x00010000, 0x0100),
        b"\x00" * 10,
        _MATRIX,
        b"\x00" * 24,
        struct.pack(">I", AUDIO_TRACK_ID + 1),
    )
    mvex = box(
        b"mvex",
        *(full_box(b"trex", 0, 0, struct.pack(">IIIII", t, 1, 0, 0, 0)) for t in (VIDEO_TRACK_ID, AUDIO_TRACK_ID)),
    )
    udta = box(b"udta", mdta_meta_box(metadata)) if metadata else b""
    ftyp = box(b"ftyp", b"iso6", struct.pack(">I", 0), b"iso6", b"cmfc", b"isom", b"mp41", b"avc1")
    return ftyp + box(b"moov", mvhd, video, audio, mvex, udta)


# --- media segment ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    data: bytes
    duration: int  # in the track's timescale
    keyframe: bool = True


def _traf(track_id: int, base_time: int, samples: list[Sample], data_offset: int, *, video: bool) -> bytes:
    tfhd = full_box(b"tfhd", 0, 0x020000, struct.pack(">I", track_id))  # default-base-is-moof
    tfdt = full_box(b"tfdt", 1, 0, struct.pack(">Q", base_time))
    flags = 0x000001 | 0x000100 | 0x000200 | (0x000400 if video else 0)
    entries = []
    for s in samples:
        entry = struct.pack(">II", s.duration, len(s.data))
        if video:
            entry += struct.pack(">I", _SYNC_SAMPLE_FLAGS if s.keyframe else _NON_SYNC_SAMPLE_FLAGS)
        entries.append(entry)
    trun = full_box(b"trun", 0, flags, struct.pack(">Ii", len(samples), data_offset), *entries)
    return box(b"traf", tfhd, tfdt, trun)


def media_segment(
    sequence: int,
    video_base: int,
    video: list[Sample],
    audio_base: int,
    audio: list[Sample],
) -> bytes:
    """styp + moof + mdat for one segment; `*_base` are the tracks' decode times of their first samples."""
    video_bytes = sum(len(s.data) for s in video)

    def moof(video_offset: int, audio_offset: int) -> bytes:
        trafs = [_traf(VIDEO_TRACK_ID, video_base, video, video_offset, video=True)]
        if audio:
            trafs.append(_traf(AUDIO_TRACK_ID, audio_base, audio, audio_offset, video=False))
        return box(b"moof", full_box(b"mfhd", 0, 0, struct.pack(">I", sequence)), *trafs)

    # data_offset is relative to the start of moof (default-base-is-moof); the moof size does not depend on it.
    size = len(moof(0, 0))
    moof_bytes = moof(size + 8, size + 8 + video_bytes)
    mdat = box(b"mdat", *(s.data for s in video), *(s.data for s in audio))
    styp = box(b"styp", b"msdh", struct.pack(">I", 0), b"msdh", b"msix")
    return styp + moof_bytes + mdat
