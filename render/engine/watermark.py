"""Invisible luma watermark: a keyed, tiled spread-spectrum pattern carrying the stream's id and the segment number.

Design (docs/watermark.md has the measurements):

- Geometry. The pattern is a periodic tile of TILE x TILE "reference pixels", where a reference pixel is 1/REF_HEIGHT
  of the frame height (the tile repeats every 128 px at 720p, 192 px at 1080p, 64 px at 360p). Every part of the
  frame carries the whole payload, so any sub-window (a border crop, a 9:16 centre crop of a landscape stream) does;
  a downscale keeps the pattern at the same place in reference pixels.
- Content. The tile is the sum of three keyed zero-mean patterns, band-limited to periods of 3.2-16 reference pixels
  (6-32 px at 720p: below what 500 kbps H.264 and a 360p downscale remove, above the low frequencies where picture
  content and visibility are strongest): a synchronisation pattern (fixed per key), the stream-id channel (constant
  for the stream, so evidence from every frame adds up over any window) and the segment channel (the sequence
  number, changes every segment). Each channel's bits are spread over a keyed set of tile pixels.
- Payload. Stream id: the 40-bit stream code (SHA-256 of the stream id) plus a 24-bit keyed tag (HMAC), rate-1/2
  convolutional code (K=7) -> 140 coded bits. Segment: the 24-bit sequence plus a 16-bit tag bound to the stream
  code -> 92 coded bits. A wrong key, an unmarked picture or a mixture passes a tag with probability 2^-24 / 2^-16.
- Embedding. Y += strength x mask x pattern, in place. The mask follows local activity (a Laplacian on a 1/4-size
  copy), so clean flat areas get 0.3 of the amplitude that texture and edges get (grain counts as texture); the
  frame's RMS change is capped. The full-frame
  pattern is computed once per frame size, key and content id. PSNR is 42-43 dB.
- Detection (`detect_clip`). Frames are resized to REF_HEIGHT rows, whitened (minus a blur, divided by local
  contrast: an affine or gamma change of luma leaves this almost unchanged) and summed. The tile period in x and y is
  read off the autocorrelation of the sum (crop-and-rescale and aspect changes stretch it) and refined by search;
  frames are rescaled to undo the stretch and folded modulo the tile, so a translation (any crop) becomes a cyclic
  shift, found by FFT correlation with the synchronisation pattern. The stream-id channel is read from the fold of
  all frames, the segment channel from windows of about a segment, both with the spectrum flattened ring by ring
  first (`_flattening`). Confidence is the z-score of the synchronisation peak; the false-positive rate per query is
  bounded analytically (see `ClipDetection.false_positive_rate`).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

REF_HEIGHT = 360  # detector works on frames resized to this many rows; the tile is defined in these pixels
TILE = 64
BAND = (4.0, 20.0)  # tile-FFT radius band kept (periods TILE/20 = 3.2 .. TILE/4 = 16 reference pixels)
# The payload is read from the fold's spectrum with each ring divided by its mean power to this exponent (0: plain
# band-pass, 0.5: flat spectrum, 1: divided by the power); 0.35 measured best of 0-1 on 500 kbps and 360p excerpts.
FLATTEN = 0.35
STRENGTH = 1.6  # gray levels RMS of the pattern where the mask is 1
MASK_RANGE = (0.3, 1.5)  # the activity mask is clipped to this range (flat areas get 0.3, strong texture 1.5)
MASK_SCALE = 6.0
# Cap on the RMS change of a frame (before rounding to integers): PSNR about 42.3 dB on the most textured content.
MAX_RMS = 2.0
# Share of the tile's energy per channel: synchronisation, stream id, segment number. The stream id gets the most: it
# is what a re-uploaded excerpt must give back, and at 500 kbps it was the channel that failed. With the sub-pixel
# alignment and window-flattened segment read-out, 0.60 gives the stream id back on 20/20 of the benchmark's 2 s
# excerpts for 500 kbps, contrast -20 % + 500 kbps and crop + rescale + 500 kbps (0.53: 19, 19, 20; 0.57: 20, 19,
# 20); the segment channel's 0.18 still gives the whole segment range after 2 Mbps (the clip check's rate), but
# after 500 kbps only on a quarter to a half of 2 s excerpts (docs/watermark.md).
ENERGY = (0.22, 0.60, 0.18)
KEY_BYTES = 32
STREAM_BITS = 40
STREAM_TAG_BITS = 24
SEQ_BITS = 24
SEQ_TAG_BITS = 16
ID_BITS = STREAM_BITS + SEQ_BITS  # the 64-bit content id packs both: stream code << 24 | sequence
_K = 7
_G = (0o133, 0o171)
STREAM_INFO = STREAM_BITS + STREAM_TAG_BITS
SEQ_INFO = SEQ_BITS + SEQ_TAG_BITS
STREAM_CODED = 2 * (STREAM_INFO + _K - 1)
SEQ_CODED = 2 * (SEQ_INFO + _K - 1)
SCALE_RANGE = (0.93, 1.32)  # tile stretch searched per axis (crop up to 10 % per side then rescale: 1.25)
SYNC_FRAMES = 75  # frames buffered to find scale and alignment before the rest are streamed
CANDIDATE_DECODES = 2  # alignments whose stream-id payload is decoded (enters the false-positive bound)
KEY_FILE_ENV = "VERACAST_WATERMARK_KEY_FILE"


class WatermarkError(ValueError):
    """Bad watermark input (a key of the wrong length, wrong plane shapes, an id out of range, no frames)."""


# --- ids and keys -------------------------------------------------------------------------------------------------


def stream_code_for(stream_id: str) -> int:
    """The 40-bit code of a stream id (first 5 bytes of its SHA-256): what the stream-id channel carries."""
    return int.from_bytes(hashlib.sha256(stream_id.encode()).digest()[:5], "big")


def content_id_for(stream_id: str, sequence: int) -> int:
    """64-bit content id of one segment: the 40-bit stream code, then the sequence number in the low 24 bits."""
    if not 0 <= sequence < 1 << SEQ_BITS:
        raise WatermarkError(f"sequence {sequence} does not fit {SEQ_BITS} bits")
    return (stream_code_for(stream_id) << SEQ_BITS) | sequence


def split_content_id(content_id: int) -> tuple[int, int]:
    """(stream code, sequence) of a content id."""
    if not 0 <= content_id < 1 << ID_BITS:
        raise WatermarkError(f"content id {content_id} does not fit {ID_BITS} bits")
    return content_id >> SEQ_BITS, content_id & ((1 << SEQ_BITS) - 1)


def check_key(key: bytes) -> bytes:
    """The key itself if it is KEY_BYTES bytes long, else a WatermarkError that says what is wrong."""
    if not isinstance(key, bytes | bytearray):
        raise WatermarkError(f"watermark key must be bytes, got {type(key).__name__}")
    if len(key) != KEY_BYTES:
        raise WatermarkError(
            f"watermark key is {len(key)} bytes long; it must be exactly {KEY_BYTES} bytes "
            f"(a key file holds {2 * KEY_BYTES} hex digits; `python manage.py init_keys` creates one)"
        )
    return bytes(key)


def load_key(path: str | os.PathLike[str] | None = None) -> bytes:
    """The 32-byte watermark key from the key file at `path`, else at $VERACAST_WATERMARK_KEY_FILE.

    The file holds 64 hex digits (what `init_keys` writes); there is no built-in key."""
    path = path or os.environ.get(KEY_FILE_ENV)
    if not path:
        raise WatermarkError(
            f"no watermark key: set {KEY_FILE_ENV} to the key file or pass --key-file "
            "(`python manage.py init_keys` creates one)"
        )
    try:
        text = Path(path).read_bytes().strip()
    except OSError as exc:
        raise WatermarkError(f"cannot read watermark key file {path}: {exc.strerror}") from exc
    try:
        key = bytes.fromhex(text.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        raise WatermarkError(
            f"watermark key file {path} does not hold hex digits; it must hold exactly {2 * KEY_BYTES}"
        ) from None
    if len(key) != KEY_BYTES:
        raise WatermarkError(
            f"watermark key file {path} holds {len(text)} hex digits; it must hold exactly {2 * KEY_BYTES} "
            f"(a {KEY_BYTES}-byte key)"
        )
    return key


def _mac(key: bytes, label: bytes, value: int, nbytes: int, bits: int) -> int:
    digest = hmac.new(key, b"veracast-wm2-" + label + value.to_bytes(nbytes, "big"), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big") >> (32 - bits)


def _stream_tag(key: bytes, stream_code: int) -> int:
    return _mac(key, b"stream", stream_code, 5, STREAM_TAG_BITS)


def _seq_tag(key: bytes, stream_code: int, sequence: int) -> int:
    return _mac(key, b"seq", (stream_code << SEQ_BITS) | sequence, 8, SEQ_TAG_BITS)


# --- channel code -------------------------------------------------------------------------------------------------


def _int_to_bits(value: int, n: int) -> NDArray[np.uint8]:
    return np.array([(value >> (n - 1 - i)) & 1 for i in range(n)], dtype=np.uint8)


def _bits_to_int(bits: NDArray[np.uint8]) -> int:
    out = 0
    for b in bits.tolist():
        out = (out << 1) | int(b)
    return out


def _parity(x: NDArray[np.int64]) -> NDArray[np.int64]:
    x = x.copy()
    for shift in (4, 2, 1):
        x ^= x >> shift
    return x & 1


# Trellis tables. The state is the last K-1 input bits (newest in the most significant position).
_STATES = 1 << (_K - 1)
_REG = (np.arange(_STATES)[:, None] | (np.array([0, 1])[None, :] << (_K - 1))).astype(np.int64)  # [state, bit]
_OUT = np.stack([_parity(_REG & g) for g in _G], axis=-1).astype(np.int8)  # [state, bit, 2]
_NEXT = (_REG >> 1).astype(np.int64)  # [state, bit]
_SIGN = 1 - 2 * _OUT.astype(np.float64)  # coded bit 0 -> +1
_NS = np.arange(_STATES)
_PRED = np.stack([((_NS & (_STATES // 2 - 1)) << 1) | j for j in (0, 1)], axis=1)  # [next state, 2]
_BIT_IN = _NS >> (_K - 2)


def conv_encode(info: NDArray[np.uint8]) -> NDArray[np.uint8]:
    state = 0
    out: list[int] = []
    for bit in [*info.tolist(), *([0] * (_K - 1))]:
        out.extend(_OUT[state, bit].tolist())
        state = int(_NEXT[state, bit])
    return np.array(out, dtype=np.uint8)


def viterbi_decode(soft: NDArray[np.float64], n_info: int) -> NDArray[np.uint8]:
    """Soft-decision Viterbi of a zero-terminated codeword; soft[i] > 0 means coded bit i is more likely 0."""
    steps = len(soft) // 2
    metric = np.full(_STATES, -np.inf)
    metric[0] = 0.0
    back = np.zeros((steps, _STATES), dtype=np.int64)
    for t in range(steps):
        branch = _SIGN[..., 0] * soft[2 * t] + _SIGN[..., 1] * soft[2 * t + 1]  # [state, bit]
        cand = metric[_PRED] + branch[_PRED, _BIT_IN[:, None]]  # [next state, 2]
        choice = np.argmax(cand, axis=1)
        back[t] = _PRED[_NS, choice]
        metric = cand[_NS, choice]
    state = 0
    bits = []
    for t in range(steps - 1, -1, -1):
        bits.append(state >> (_K - 2))
        state = int(back[t, state])
    bits.reverse()
    return np.array(bits[:n_info], dtype=np.uint8)


def _stream_codeword(key: bytes, stream_code: int) -> NDArray[np.uint8]:
    info = np.concatenate(
        [_int_to_bits(stream_code, STREAM_BITS), _int_to_bits(_stream_tag(key, stream_code), STREAM_TAG_BITS)]
    )
    return conv_encode(info)


def _seq_codeword(key: bytes, stream_code: int, sequence: int) -> NDArray[np.uint8]:
    info = np.concatenate(
        [_int_to_bits(sequence, SEQ_BITS), _int_to_bits(_seq_tag(key, stream_code, sequence), SEQ_TAG_BITS)]
    )
    return conv_encode(info)


# --- the keyed tile -----------------------------------------------------------------------------------------------


def _band_filter() -> NDArray[np.float64]:
    f = np.fft.fftfreq(TILE) * TILE
    radius = np.hypot(f[:, None], f[None, :])
    return ((radius >= BAND[0]) & (radius <= BAND[1])).astype(np.float64)


_BAND_FILTER = _band_filter()
_RADIUS = np.hypot(*np.meshgrid(np.fft.fftfreq(TILE) * TILE, np.fft.fftfreq(TILE) * TILE, indexing="ij"))
_RING = np.rint(_RADIUS).astype(np.intp)  # ring (integer radius) of each tile frequency
_RINGS = int(_RING.max()) + 1
_RING_SIZE = np.maximum(np.bincount(_RING.ravel(), minlength=_RINGS), 1)


def _band_limit(tile: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.real(np.fft.ifft2(np.fft.fft2(tile) * _BAND_FILTER))


@dataclass(frozen=True)
class _Tile:
    """Key-derived patterns, each band-limited and scaled to unit RMS before weighting."""

    sync: NDArray[np.float64]  # (TILE, TILE) unit RMS
    sync_fft_conj: NDArray[np.complex128]
    stream_bit: NDArray[np.int64]  # (TILE*TILE,) coded-bit index of each tile pixel, -1 if not a stream pixel
    seq_bit: NDArray[np.int64]
    chips: NDArray[np.float64]  # (TILE*TILE,) ±1
    stream_norm: float  # RMS of the band-limited stream channel before scaling (same for every payload, nearly)
    seq_norm: float


_tiles: dict[bytes, _Tile] = {}
_tiles_lock = threading.Lock()


def _tile(key: bytes) -> _Tile:
    digest = hashlib.sha256(key).digest()
    with _tiles_lock:
        cached = _tiles.get(digest)
    if cached is not None:
        return cached
    seed = int.from_bytes(hmac.new(key, b"veracast-wm2-tile", hashlib.sha256).digest()[:8], "big")
    rng = np.random.default_rng(seed)
    sync = _band_limit(rng.choice([-1.0, 1.0], size=(TILE, TILE)))
    sync /= np.sqrt(np.mean(sync**2))
    n = TILE * TILE
    order = rng.permutation(n)
    # Each channel gets a share of the tile's pixels proportional to its coded bits.
    n_stream = round(n * STREAM_CODED / (STREAM_CODED + SEQ_CODED))
    stream_bit = np.full(n, -1, dtype=np.int64)
    seq_bit = np.full(n, -1, dtype=np.int64)
    stream_bit[order[:n_stream]] = np.arange(n_stream) % STREAM_CODED
    seq_bit[order[n_stream:]] = np.arange(n - n_stream) % SEQ_CODED
    chips = rng.choice([-1.0, 1.0], size=n)
    tile = _Tile(
        sync=sync,
        sync_fft_conj=np.conj(np.fft.fft2(sync)),
        stream_bit=stream_bit,
        seq_bit=seq_bit,
        chips=chips,
        stream_norm=float(np.sqrt(np.mean(_band_limit((chips * (stream_bit >= 0)).reshape(TILE, TILE)) ** 2))),
        seq_norm=float(np.sqrt(np.mean(_band_limit((chips * (seq_bit >= 0)).reshape(TILE, TILE)) ** 2))),
    )
    with _tiles_lock:
        if len(_tiles) > 8:
            _tiles.clear()
        _tiles[digest] = tile
    return tile


def tile_pattern(key: bytes, content_id: int) -> NDArray[np.float64]:
    """The (TILE, TILE) pattern of one segment in reference pixels, unit RMS (before strength and masking)."""
    key = check_key(key)
    stream_code, sequence = split_content_id(content_id)
    t = _tile(key)
    sb = 1.0 - 2.0 * _stream_codeword(key, stream_code).astype(np.float64)
    qb = 1.0 - 2.0 * _seq_codeword(key, stream_code, sequence).astype(np.float64)
    stream = np.where(t.stream_bit >= 0, sb[np.maximum(t.stream_bit, 0)], 0.0) * t.chips
    seq = np.where(t.seq_bit >= 0, qb[np.maximum(t.seq_bit, 0)], 0.0) * t.chips
    pattern = (
        math.sqrt(ENERGY[0]) * t.sync
        + math.sqrt(ENERGY[1]) / t.stream_norm * _band_limit(stream.reshape(TILE, TILE))
        + math.sqrt(ENERGY[2]) / t.seq_norm * _band_limit(seq.reshape(TILE, TILE))
    )
    return pattern / np.sqrt(np.mean(pattern**2))


def frame_pattern(key: bytes, content_id: int, height: int, width: int) -> NDArray[np.float32]:
    """The tile laid over a (height, width) frame at its native scale (period TILE * height / REF_HEIGHT px)."""
    tile = tile_pattern(key, content_id)
    # Band-limited interpolation: zero-pad the spectrum 4x, then linear interpolation between the fine samples.
    up = 4
    spec = np.fft.fftshift(np.fft.fft2(tile))
    padded = np.zeros((TILE * up, TILE * up), dtype=np.complex128)
    lo = (TILE * up - TILE) // 2
    padded[lo : lo + TILE, lo : lo + TILE] = spec
    fine = (np.real(np.fft.ifft2(np.fft.ifftshift(padded))) * up * up).astype(np.float32)
    step = REF_HEIGHT / height * up  # fine samples per native pixel
    n = TILE * up

    def taps(count: int) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float32]]:
        pos = ((np.arange(count, dtype=np.float64) + 0.5) * step - 0.5) % n
        i0 = np.floor(pos).astype(np.intp)
        return i0, (i0 + 1) % n, (pos - i0).astype(np.float32)

    # The map is separable (x depends on the column only, y on the row only): interpolate columns, then rows.
    x0, x1, wx = taps(width)
    cols = fine[:, x0] * (1 - wx) + fine[:, x1] * wx
    y0, y1, wy = taps(height)
    out = cols[y0] * (1 - wy)[:, None]
    out += cols[y1] * wy[:, None]
    return np.asarray(out, dtype=np.float32)


# --- embed --------------------------------------------------------------------------------------------------------


class LumaWatermarker:
    """Embeds the watermark of one content id (stream code + sequence) into luma planes, in place.

    Caches the full-frame pattern per frame size and content id (the last few), so a segment costs one pattern
    build and each frame a mask and one multiply-add. Thread-safe."""

    def __init__(self, key: bytes, *, strength: float = STRENGTH) -> None:
        self.key = check_key(key)
        self.strength = strength
        self._patterns: dict[tuple[int, int, int], NDArray[np.float32]] = {}
        self._lock = threading.Lock()

    def pattern(self, height: int, width: int, content_id: int) -> NDArray[np.float32]:
        cache_key = (height, width, content_id)
        with self._lock:
            cached = self._patterns.get(cache_key)
        if cached is not None:
            return cached
        pattern = frame_pattern(self.key, content_id, height, width) * np.float32(self.strength)
        with self._lock:
            if len(self._patterns) >= 4:
                self._patterns.pop(next(iter(self._patterns)))
            self._patterns[cache_key] = pattern
        return pattern

    def embed_frame(self, y: NDArray[np.uint8], content_id: int) -> None:
        """Watermark one luma plane (h, w) uint8 in place with the pattern of `content_id`."""
        import cv2

        if y.ndim != 2 or y.dtype != np.uint8:
            raise WatermarkError(f"expected a (h, w) uint8 luma plane, got {y.shape} {y.dtype}")
        h, w = y.shape
        pattern = self.pattern(h, w, content_id)
        mask = activity_mask(y)
        rms = self.strength * float(np.sqrt(np.mean(mask * mask)))
        if rms > MAX_RMS:
            np.multiply(mask, MAX_RMS / rms, out=mask)
        delta = cv2.resize(mask, (w, h), interpolation=cv2.INTER_LINEAR)
        cv2.multiply(delta, pattern, dst=delta)
        cv2.add(y, delta, dst=y, dtype=cv2.CV_8U)


def activity_mask(y: NDArray[np.uint8]) -> NDArray[np.float32]:
    """Perceptual mask on a 1/8-size grid: mean absolute Laplacian of a 1/4-size copy, so flat areas get little."""
    import cv2

    h, w = y.shape
    quarter = cv2.resize(y, (max(w // 4, 8), max(h // 4, 8)), interpolation=cv2.INTER_AREA).astype(np.float32)
    lap = np.abs(cv2.Laplacian(quarter, cv2.CV_32F, ksize=3))
    small = cv2.resize(lap, (max(w // 8, 4), max(h // 8, 4)), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), 1.5)
    # Mean |Laplacian| at quarter size: a plain backdrop with grain is about 6, smooth skin 10-30, hair, fabric and
    # edges 60-200. The pattern is scaled by that / MASK_SCALE, within MASK_RANGE.
    np.multiply(small, 1.0 / MASK_SCALE, out=small)
    np.clip(small, MASK_RANGE[0], MASK_RANGE[1], out=small)
    return np.asarray(small, dtype=np.float32)


def embed(frames_y: Iterable[NDArray[np.uint8]], content_id: int, key: bytes) -> list[NDArray[np.uint8]]:
    """Watermarked copies of the luma planes `frames_y` (each (h, w) uint8), all with one content id."""
    marker = LumaWatermarker(key)
    out = []
    for frame in frames_y:
        y = np.array(frame, dtype=np.uint8, copy=True)
        marker.embed_frame(y, content_id)
        out.append(y)
    return out


def psnr(a: NDArray[np.uint8], b: NDArray[np.uint8]) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return float("inf") if mse == 0 else float(10 * np.log10(255.0**2 / mse))


# --- detect -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClipDetection:
    """What `detect_clip` found in a clip.

    `found`: the stream-id payload decoded and its keyed 24-bit tag verified. `confidence`: z-score of the
    synchronisation peak (normalised correlation over its null spread; unmarked video gives about 4-5, the maximum
    of `hypotheses` near-Gaussian values). `false_positive_rate`: the analytic bound on this result arising from
    unmarked video or another key: CANDIDATE_DECODES * 2^-24 (the tag) * min(1, hypotheses * Q(confidence)); it is
    at most 1.2e-7 whatever the confidence. `sequences`: segment numbers whose keyed 16-bit tag verified in a
    window of about one segment."""

    found: bool
    stream_code: int | None
    confidence: float
    false_positive_rate: float
    frames: int
    sequences: tuple[int, ...] = ()
    scale: tuple[float, float] = (1.0, 1.0)
    offset: tuple[int, int] = (0, 0)
    hypotheses: int = 0
    payload_agreement: float = 0.0  # mean agreement of stream-id soft bits with the decoded codeword, -1..1

    @property
    def stream_id_hex(self) -> str | None:
        return None if self.stream_code is None else f"{self.stream_code:010x}"

    @property
    def segment_range(self) -> tuple[int, int] | None:
        return (min(self.sequences), max(self.sequences)) if self.sequences else None

    def content_ids(self) -> list[int]:
        if self.stream_code is None:
            return []
        return [(self.stream_code << SEQ_BITS) | s for s in self.sequences]


def _whiten(y: NDArray[np.uint8]) -> NDArray[np.float32]:
    """Frame resized to REF_HEIGHT rows, minus its blur, divided by local contrast (gain/offset/gamma-invariant)."""
    import cv2

    h, w = y.shape
    rw = max(round(w * REF_HEIGHT / h), 16)
    ref = cv2.resize(y, (rw, REF_HEIGHT), interpolation=cv2.INTER_AREA).astype(np.float32)
    hp = ref - cv2.GaussianBlur(ref, (0, 0), 3.0)
    energy = cv2.GaussianBlur(hp * hp, (0, 0), 8.0)
    np.maximum(energy, 0.25, out=energy)
    return np.asarray(hp / np.sqrt(energy), dtype=np.float32)


def _fold(img: NDArray[np.float32], sx: float, sy: float) -> NDArray[np.float64]:
    """Undo a stretch of (sx, sy), then sum the image modulo the tile."""
    import cv2

    h, w = img.shape
    ow, oh = int(w / sx), int(h / sy)
    m = np.array([[1.0 / sx, 0.0, 0.0], [0.0, 1.0 / sy, 0.0]], dtype=np.float64)
    warped = cv2.warpAffine(img, m, (ow, oh), flags=cv2.INTER_LINEAR)
    ph, pw = -(-oh // TILE) * TILE, -(-ow // TILE) * TILE
    padded = np.zeros((ph, pw), dtype=np.float32)
    padded[:oh, :ow] = warped
    return padded.reshape(ph // TILE, TILE, pw // TILE, TILE).sum(axis=(0, 2), dtype=np.float64)


def _sync_peak(folded: NDArray[np.float64], tile: _Tile) -> tuple[float, tuple[int, int], tuple[float, float]]:
    """z-score, cyclic offset and sub-pixel remainder (each axis -0.5..0.5) of the best alignment of the
    synchronisation pattern with a folded tile.

    The remainder is a parabola through the peak and its neighbours along each axis. It matters: the detector's
    reference grid sits a fraction of a pixel off the embedded one (at 720p the 2:1 area resize alone puts it 3/8
    of a reference pixel off), and reading the payload a fraction of a pixel off loses its high frequencies
    (`_aligned_band` undoes the remainder as a phase ramp)."""
    band = np.fft.fft2(folded) * _BAND_FILTER
    corr = np.real(np.fft.ifft2(band * tile.sync_fft_conj))
    med = float(np.median(corr))
    sigma = 1.4826 * float(np.median(np.abs(corr - med))) + 1e-12
    idx = int(np.argmax(corr))
    dy, dx = divmod(idx, TILE)

    def vertex(a: float, b: float, c: float) -> float:
        denom = a - 2 * b + c
        return float(np.clip(0.5 * (a - c) / denom, -0.5, 0.5)) if denom < 0 else 0.0

    fy = vertex(corr[(dy - 1) % TILE, dx], corr[dy, dx], corr[(dy + 1) % TILE, dx])
    fx = vertex(corr[dy, (dx - 1) % TILE], corr[dy, dx], corr[dy, (dx + 1) % TILE])
    return float((corr.flat[idx] - med) / sigma), (dy, dx), (fy, fx)


def _periods(acorr: NDArray[np.float64], axis: int, count: int = 2) -> list[float]:
    """Sub-pixel lags of the highest autocorrelation peaks along one axis (x: 1, y: 0) in the searched range."""
    lo, hi = int(TILE * SCALE_RANGE[0]), math.ceil(TILE * SCALE_RANGE[1])
    hi = min(hi, acorr.shape[axis] // 2 - 1)
    if hi <= lo + 2:
        return []
    # The lag line and its two neighbours: resampling can leave the peak a fraction of a pixel off the axis.
    lines = acorr[[0, 1, -1], :] if axis == 1 else acorr[:, [0, 1, -1]].T
    seg = np.max(lines, axis=0)[lo - 1 : hi + 2]
    peaks = [i for i in range(1, len(seg) - 1) if seg[i] >= seg[i - 1] and seg[i] >= seg[i + 1]]
    out = []
    for i in sorted(peaks, key=lambda i: -seg[i])[:count]:
        a, b, c = seg[i - 1], seg[i], seg[i + 1]
        denom = a - 2 * b + c
        frac = float(0.5 * (a - c) / denom) if denom != 0 else 0.0
        out.append(float(lo - 1 + i + frac))
    return out


def _coarse_scales(total: NDArray[np.float32]) -> list[tuple[float, float]]:
    """Stretch hypotheses from the autocorrelation of the whitened sum: the two best period peaks per axis, each
    axis also trying the other's (an isotropic rescale), and no stretch."""
    spec = np.fft.rfft2(total - total.mean())
    acorr = np.fft.irfft2(np.abs(spec) ** 2, s=total.shape)
    px, py = _periods(acorr, 1), _periods(acorr, 0)
    xs = {round(p / TILE, 5) for p in [*px, *py[:1]]} | {1.0}
    ys = {round(p / TILE, 5) for p in [*py, *px[:1]]} | {1.0}
    return sorted((sx, sy) for sx in xs for sy in ys)


REFINE_STEPS = (-0.008, -0.004, 0.0, 0.004, 0.008)
# After a low-bitrate re-encode the autocorrelation peak of an upscaled crop is broad and its top can sit 1.5-2 %
# off the true period, or be outranked by picture content (crop 10 % + rescale + 500 kbps: 1.231, 1.186 or 0.92
# for 1.25, and the fine grid did not reach 1.25): so every isotropic stretch of the searched range is tried too,
# in steps of 0.5 % (the synchronisation peak falls from z 8 to 5 at 0.8 % off).
ISOTROPIC_SWEEP = tuple(
    round(SCALE_RANGE[0] * 1.005**k, 5)
    for k in range(int(math.log(SCALE_RANGE[1] / SCALE_RANGE[0]) / math.log(1.005)) + 1)
)


def _channel_soft(
    aligned_band: NDArray[np.float64], bits: NDArray[np.int64], chips: NDArray[np.float64], n: int
) -> NDArray[np.float64]:
    flat = aligned_band.ravel() * chips
    sel = bits >= 0
    return np.bincount(bits[sel], weights=flat[sel], minlength=n).astype(np.float64)


def _q(z: float) -> float:
    return 0.5 * math.erfc(z / math.sqrt(2.0))


@dataclass
class _Sync:
    sx: float
    sy: float
    offset: tuple[int, int]
    z: float
    fraction: tuple[float, float] = (0.0, 0.0)


def _flattening(spec: NDArray[np.complex128]) -> NDArray[np.float64]:
    """Per-frequency weights for reading the payload from a band-passed tile spectrum: each ring of the spectrum
    divided by its mean power on this fold to the exponent FLATTEN. The low rings, where picture content and
    compression noise pile up, then drown the rest less. Detector only (the embedded pattern and the
    synchronisation statistic are unchanged); on 2 s excerpts re-encoded at 500 kbps it lifts the soft bits'
    agreement with the codeword from about 0.66 to 0.76 (docs/watermark.md)."""
    power = np.bincount(_RING.ravel(), weights=(np.abs(spec) ** 2).ravel(), minlength=_RINGS) / _RING_SIZE
    return np.asarray((power[_RING] + 1e-12) ** -FLATTEN, dtype=np.float64)


_FREQ = np.fft.fftfreq(TILE) * TILE


def _aligned_band(
    folded: NDArray[np.float64], offset: tuple[int, int], fraction: tuple[float, float] = (0.0, 0.0)
) -> NDArray[np.float64]:
    """The fold, band-passed and flattened (`_flattening`), shifted so that the tile's origin is at (0, 0): by the
    whole offset and its sub-pixel remainder, as a phase ramp on the (periodic, band-limited) fold's spectrum."""
    dy, dx = offset[0] + fraction[0], offset[1] + fraction[1]
    spec = np.fft.fft2(folded) * _BAND_FILTER
    ramp = np.exp((2j * np.pi / TILE) * (_FREQ[:, None] * dy + _FREQ[None, :] * dx))
    return np.real(np.fft.ifft2(spec * _flattening(spec) * ramp))


def _decode_stream(soft: NDArray[np.float64], key: bytes) -> tuple[int | None, float]:
    info = viterbi_decode(soft, STREAM_INFO)
    code = _bits_to_int(info[:STREAM_BITS])
    tag = _bits_to_int(info[STREAM_BITS:])
    codeword = 1.0 - 2.0 * conv_encode(info).astype(np.float64)
    norm = float(np.sum(np.abs(soft))) or 1.0
    agreement = float(np.sum(codeword * soft) / norm)
    ok = hmac.compare_digest(tag.to_bytes(3, "big"), _stream_tag(key, code).to_bytes(3, "big"))
    return (code if ok else None), agreement


def _decode_seq(soft: NDArray[np.float64], key: bytes, stream_code: int) -> int | None:
    info = viterbi_decode(soft, SEQ_INFO)
    seq = _bits_to_int(info[:SEQ_BITS])
    tag = _bits_to_int(info[SEQ_BITS:])
    return seq if tag == _seq_tag(key, stream_code, seq) else None


def detect_clip(
    source: str | os.PathLike[str] | Iterable[NDArray[np.uint8]],
    key: bytes,
    *,
    fps: float | None = None,
    segment_seconds: float = 2.0,
    max_frames: int | None = None,
) -> ClipDetection:
    """Look for the watermark in a clip: a media file path, or luma planes ((h, w) uint8) at `fps` (default 25).

    Any window from about 2 s to a whole stream; the stream id accumulates over all frames. Pure apart from
    reading the file; raises WatermarkError for a bad key or a clip without frames."""
    key = check_key(key)
    tile = _tile(key)
    if isinstance(source, str | os.PathLike):
        timed: Iterator[tuple[float, NDArray[np.uint8]]] = luma_planes_timed(source, max_frames=max_frames)
    else:
        rate = fps or 25.0
        timed = ((i / rate, np.asarray(y)) for i, y in enumerate(source) if max_frames is None or i < max_frames)

    buffered: list[tuple[float, NDArray[np.float16]]] = []
    total: NDArray[np.float32] | None = None
    sync: _Sync | None = None
    hypotheses = 0
    stream_fold = np.zeros((TILE, TILE), dtype=np.float64)
    # Folds summed per quarter segment from the first frame's time: every window the segment channel is read from
    # is a run of these bins.
    bin_seconds = segment_seconds / 4
    seq_bins: dict[int, NDArray[np.float32]] = {}
    first_t: float | None = None
    frames = 0

    def settle() -> None:
        nonlocal sync, hypotheses
        assert total is not None
        summed = total
        tried: dict[tuple[float, float], _Sync] = {}

        def evaluate(sx: float, sy: float) -> None:
            if (sx, sy) not in tried:
                z, off, frac = _sync_peak(_fold(summed, sx, sy), tile)
                tried[(sx, sy)] = _Sync(sx, sy, off, z, frac)

        # Coarse hypotheses and an isotropic sweep of the searched range, then a fine grid around the two best.
        for sx, sy in [*_coarse_scales(summed), *((s, s) for s in ISOTROPIC_SWEEP)]:
            evaluate(sx, sy)
        for coarse in sorted(tried.values(), key=lambda c: -c.z)[:2]:
            for a in REFINE_STEPS:
                for b in REFINE_STEPS:
                    evaluate(round(coarse.sx * (1 + a), 5), round(coarse.sy * (1 + b), 5))
        hypotheses = len(tried) * TILE * TILE
        best = max(tried.values(), key=lambda c: c.z)
        sync = best

    def consume(t: float, r: NDArray[np.float32]) -> None:
        nonlocal first_t
        assert sync is not None
        folded = _fold(r, sync.sx, sync.sy)
        stream_fold[:] += folded
        if first_t is None:
            first_t = t
        b = math.floor((t - first_t) / bin_seconds + 1e-6)
        if b in seq_bins:
            seq_bins[b] += folded.astype(np.float32)
        else:
            seq_bins[b] = folded.astype(np.float32)

    for t, y in timed:
        if y.ndim != 2:
            raise WatermarkError(f"expected (h, w) luma planes, got shape {y.shape}")
        r = _whiten(y)
        frames += 1
        if sync is None:
            total = r.copy() if total is None else (total + r if total.shape == r.shape else total)
            if total.shape != r.shape:
                continue
            buffered.append((t, r.astype(np.float16)))
            if len(buffered) >= SYNC_FRAMES:
                settle()
                for bt, br in buffered:
                    consume(bt, br.astype(np.float32))
                buffered.clear()
        elif r.shape == total.shape:  # type: ignore[union-attr]
            consume(t, r)
    if frames == 0:
        raise WatermarkError("no frames to detect a watermark in")
    if sync is None:
        settle()
        for bt, br in buffered:
            consume(bt, br.astype(np.float32))
    assert sync is not None

    # The stream id, from the fold of every frame; also from the runner-up alignment if the best one fails.
    z_final, offset, fraction = _sync_peak(stream_fold, tile)
    tried: list[tuple[tuple[int, int], tuple[float, float]]] = [(offset, fraction)]
    if offset != sync.offset:
        tried.append((sync.offset, sync.fraction))
    code: int | None = None
    agreement = 0.0
    used = offset
    for off, frac in tried[:CANDIDATE_DECODES]:
        soft = _channel_soft(_aligned_band(stream_fold, off, frac), tile.stream_bit, tile.chips, STREAM_CODED)
        code, agreement = _decode_stream(soft, key)
        used = off
        if code is not None:
            break
    confidence = max(z_final, 0.0)
    fpr = CANDIDATE_DECODES * 2.0**-STREAM_TAG_BITS * min(1.0, max(hypotheses, 1) * _q(confidence))
    sequences: tuple[int, ...] = ()
    if code is not None:
        if used != sync.offset:
            # The per-frame segment soft values were read at the alignment found on the first frames, and only the
            # fold of all frames decoded: no segment numbers rather than a guess.
            seq_bins.clear()
        sequences = _segment_numbers(seq_bins, sync, tile, key, code)
    return ClipDetection(
        found=code is not None,
        stream_code=code,
        confidence=round(confidence, 2),
        false_positive_rate=fpr,
        frames=frames,
        sequences=sequences,
        scale=(round(sync.sx, 4), round(sync.sy, 4)),
        offset=used,
        hypotheses=hypotheses,
        payload_agreement=round(agreement, 3),
    )


def _segment_numbers(
    bins: dict[int, NDArray[np.float32]], sync: _Sync, tile: _Tile, key: bytes, stream_code: int
) -> tuple[int, ...]:
    """Sequence numbers decoded in windows of one and of half a segment (four and two quarter-segment bins),
    stepped by a quarter segment, and in the whole clip. Each window's fold is summed first and then band-passed
    and flattened, like the stream id's (flattening frame by frame weighted each frame by its own noisy spectrum)."""
    if not bins:
        return ()
    last = max(bins)
    windows: set[tuple[int, int]] = {(0, last + 1)}
    for length in (4, 2):
        start = 0
        while True:
            windows.add((start, min(start + length, last + 1)))
            if start + length > last:
                break
            start += 1
    zero = np.zeros((TILE, TILE), dtype=np.float64)
    found: set[int] = set()
    for i, j in sorted(windows):
        parts = [bins[b] for b in range(i, j) if b in bins]
        if not parts:
            continue
        fold = zero + np.sum(parts, axis=0, dtype=np.float64)
        soft = _channel_soft(_aligned_band(fold, sync.offset, sync.fraction), tile.seq_bit, tile.chips, SEQ_CODED)
        seq = _decode_seq(soft, key, stream_code)
        if seq is not None:
            found.add(seq)
    return tuple(sorted(found))


def luma_planes_timed(
    path: str | os.PathLike[str], *, max_frames: int | None = None
) -> Iterator[tuple[float, NDArray[np.uint8]]]:
    """(time in seconds, luma plane) of each frame of the first video stream of a media file (Y as stored)."""
    import av

    try:
        container = av.open(os.fspath(path))
    except (OSError, av.error.FFmpegError) as exc:
        raise WatermarkError(f"cannot open {path}: {exc}") from exc
    with container:
        if not container.streams.video:
            raise WatermarkError(f"{path} has no video stream")
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for n, frame in enumerate(container.decode(stream)):
            if frame.format.name not in ("yuv420p", "yuvj420p", "yuv422p", "yuv444p", "gray"):
                frame = frame.reformat(format="yuv420p")
            plane = frame.planes[0]
            buf = np.frombuffer(memoryview(plane), dtype=np.uint8).reshape(plane.height, plane.line_size)
            t = float(frame.time) if frame.time is not None else n / 25.0
            yield t, buf[:, : plane.width].copy()
            if max_frames is not None and n + 1 >= max_frames:
                break


def luma_planes(path: str | os.PathLike[str], *, max_frames: int | None = None) -> list[NDArray[np.uint8]]:
    """The luma planes of a media file's first video stream."""
    return [y for _, y in luma_planes_timed(path, max_frames=max_frames)]
