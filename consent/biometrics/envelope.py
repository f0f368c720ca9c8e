"""Envelope encryption for the biometric vault.

Two layers:

1. **Data keys.** Each influencer has one random 256-bit data key (DEK). It is stored only *wrapped* by a master key
   (KEK) with AES-256-GCM. The AAD of the wrap is `purpose | master key id | context` (context = the influencer's
   stable id), so a wrapped key copied onto another influencer's row, or presented under another master key id, fails
   to unwrap. We chose AES-GCM over AES-KW (RFC 3394) because AES-KW has no associated data: binding the key id and
   the owner would need an extra MAC, and AES-KW's 64-bit integrity check is weaker than GCM's 128-bit tag. The
   random 96-bit nonce is safe here: one master key wraps a few keys per influencer, far below the 2**32 wraps NIST
   SP 800-38D allows under one key.
   Crypto-shredding = deleting every copy of the wrapped DEK. Without it, objects are unreadable (tested).

2. **Objects**, streamed in authenticated chunks (the "STREAM" construction of Hoang, Reyhanitabar, Rogaway and
   Vizár, as in Tink's AES-GCM-HKDF streaming AEAD):

       header = MAGIC(4) | chunk_size u32 (4) | salt (16) | nonce_prefix (7)              = 31 bytes
       key    = HKDF-SHA256(data_key, salt, info="veracast vault chunk key v1")           per object
       chunk i: nonce = nonce_prefix | i u32 | last (1 byte: 1 on the final chunk, else 0)
                aad   = header | i u32 | last | caller's aad
                body  = AES-256-GCM(key, nonce, plaintext_i, aad)                       = len(plaintext_i) + 16

   Every chunk but the last holds exactly `chunk_size` plaintext bytes; the last holds 0..chunk_size. The counter
   stops reordering and dropping chunks in the middle; the final flag stops truncation at a chunk boundary and
   appending (a chunk written as non-final never authenticates as final and vice versa). The per-object salt gives
   each object its own key, so the random 56-bit nonce prefixes never need to be unique across objects.

Plaintext never touches disk here: encryption reads from any binary stream, and decryption yields verified chunks.
"""

from __future__ import annotations

import hmac
import io
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from consent.biometrics.errors import VaultIntegrityError

KEY_BYTES = 32
TAG_BYTES = 16
MAGIC = b"VCV1"
SALT_BYTES = 16
NONCE_PREFIX_BYTES = 7
HEADER_BYTES = len(MAGIC) + 4 + SALT_BYTES + NONCE_PREFIX_BYTES
DEFAULT_CHUNK_SIZE = 1024 * 1024
# Bounds for a chunk size read from a header: a forged header must not make us allocate gigabytes.
MIN_CHUNK_SIZE = 16
MAX_CHUNK_SIZE = 16 * 1024 * 1024
MAX_CHUNKS = 2**32 - 1

WRAP_MAGIC = b"VCK1"
WRAP_PURPOSE = b"veracast vault data key v1"
CHUNK_KEY_INFO = b"veracast vault chunk key v1"


class Readable(Protocol):
    """Anything with `read(size) -> bytes`: a file, BytesIO, a Django `File`, a socket's makefile, a pipe."""

    def read(self, size: int = ..., /) -> bytes: ...


class Writable(Protocol):
    def write(self, data: bytes, /) -> int | None: ...


@dataclass(frozen=True)
class MasterKey:
    """A key-encryption key and its id. The id is public (stored beside each wrapped key); the key is not."""

    key_id: str
    key: bytes

    def __post_init__(self) -> None:
        if len(self.key) != KEY_BYTES:
            raise ValueError("a master key must be 32 bytes (AES-256)")
        if not self.key_id or len(self.key_id.encode()) > 255:
            raise ValueError("a master key id must be 1 to 255 bytes")

    def __repr__(self) -> str:  # never print key material in logs or tracebacks
        return f"MasterKey(key_id={self.key_id!r})"


def generate_data_key() -> bytes:
    """A fresh random 256-bit data key, from the OS CSPRNG."""
    return os.urandom(KEY_BYTES)


def _wrap_aad(key_id: bytes, context: bytes) -> bytes:
    # Length-prefixed so that ("ab", "c") and ("a", "bc") give different AADs.
    return WRAP_PURPOSE + struct.pack(">B", len(key_id)) + key_id + struct.pack(">I", len(context)) + context


def wrap_data_key(data_key: bytes, master: MasterKey, *, context: bytes) -> bytes:
    """Encrypt a data key under a master key, bound to `context` (the owner's stable id).

    Layout: WRAP_MAGIC | key id length (1) | key id | nonce (12) | ciphertext + tag (48).
    """
    if len(data_key) != KEY_BYTES:
        raise ValueError("a data key must be 32 bytes (AES-256)")
    key_id = master.key_id.encode()
    nonce = os.urandom(12)
    sealed = AESGCM(master.key).encrypt(nonce, data_key, _wrap_aad(key_id, context))
    return WRAP_MAGIC + struct.pack(">B", len(key_id)) + key_id + nonce + sealed


def wrapped_key_id(wrapped: bytes) -> str:
    """The id of the master key a wrapped data key needs (to pick it from a key ring during rotation)."""
    if len(wrapped) < 5 or wrapped[:4] != WRAP_MAGIC:
        raise VaultIntegrityError("not a wrapped data key")
    length = wrapped[4]
    if len(wrapped) != 5 + length + 12 + KEY_BYTES + TAG_BYTES:
        raise VaultIntegrityError("not a wrapped data key")
    return wrapped[5 : 5 + length].decode("utf-8", errors="replace")


def unwrap_data_key(wrapped: bytes, master: MasterKey, *, context: bytes) -> bytes:
    """Recover a data key; raises VaultIntegrityError on a wrong master key, key id or context, or tampering."""
    key_id = wrapped_key_id(wrapped)
    if not hmac.compare_digest(key_id.encode(), master.key_id.encode()):
        raise VaultIntegrityError("the data key is wrapped under another master key")
    start = 5 + len(master.key_id.encode())
    nonce, sealed = wrapped[start : start + 12], wrapped[start + 12 :]
    try:
        return AESGCM(master.key).decrypt(nonce, sealed, _wrap_aad(master.key_id.encode(), context))
    except InvalidTag:
        raise VaultIntegrityError("the wrapped data key failed authentication") from None


def rewrap_data_key(wrapped: bytes, old: MasterKey, new: MasterKey, *, context: bytes) -> bytes:
    """Master-key rotation: re-encrypt the data key under `new`; the objects themselves are not touched."""
    return wrap_data_key(unwrap_data_key(wrapped, old, context=context), new, context=context)


def _chunk_key(data_key: bytes, salt: bytes) -> AESGCM:
    if len(data_key) != KEY_BYTES:
        raise VaultIntegrityError("a data key must be 32 bytes")
    derived = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=CHUNK_KEY_INFO).derive(data_key)
    return AESGCM(derived)


def _chunk_nonce_and_aad(header: bytes, prefix: bytes, index: int, last: bool, aad: bytes) -> tuple[bytes, bytes]:
    position = struct.pack(">IB", index, 1 if last else 0)
    return prefix + position, header + position + aad


def _read_exactly(src: Readable, size: int) -> bytes:
    """Read up to `size` bytes, looping over short reads (pipes and sockets return less than asked)."""
    parts: list[bytes] = []
    remaining = size
    while remaining > 0:
        part = src.read(remaining)
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)


def encrypt_stream(
    src: Readable, dst: Writable, data_key: bytes, aad: bytes, *, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> int:
    """Encrypt `src` into `dst` chunk by chunk; returns the number of ciphertext bytes written.

    `aad` should name the object (e.g. b"influencer:42|statement:7"), so a ciphertext cannot be swapped for another.
    Memory use is about two chunks.
    """
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise ValueError(f"chunk_size must be between {MIN_CHUNK_SIZE} and {MAX_CHUNK_SIZE}")
    salt, prefix = os.urandom(SALT_BYTES), os.urandom(NONCE_PREFIX_BYTES)
    header = MAGIC + struct.pack(">I", chunk_size) + salt + prefix
    aead = _chunk_key(data_key, salt)
    written = dst.write(header) or 0
    index = 0
    current = _read_exactly(src, chunk_size)
    while True:
        # Read one chunk ahead: only then do we know whether `current` is the last one.
        following = _read_exactly(src, chunk_size) if len(current) == chunk_size else b""
        last = not following
        if index > MAX_CHUNKS:
            raise ValueError("object too large for one vault stream")
        nonce, chunk_aad = _chunk_nonce_and_aad(header, prefix, index, last, aad)
        written += dst.write(aead.encrypt(nonce, current, chunk_aad)) or 0
        if last:
            return written
        current = following
        index += 1


def decrypt_stream(src: Readable, data_key: bytes, aad: bytes) -> Iterator[bytes]:
    """Yield the plaintext chunk by chunk, each verified before it is yielded.

    Raises VaultIntegrityError for any tampering, truncation, reordering, wrong key or wrong AAD. A truncated object
    is only detected when the stream ends, so a caller must not act on the plaintext (store, parse, answer) until the
    iterator is exhausted without error: `decrypt_to_memory` does exactly that.
    """
    header = _read_exactly(src, HEADER_BYTES)
    if len(header) != HEADER_BYTES or header[:4] != MAGIC:
        raise VaultIntegrityError("not a vault object (bad header)")
    (chunk_size,) = struct.unpack(">I", header[4:8])
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise VaultIntegrityError("not a vault object (bad chunk size)")
    salt = header[8 : 8 + SALT_BYTES]
    prefix = header[8 + SALT_BYTES :]
    aead = _chunk_key(data_key, salt)
    block = chunk_size + TAG_BYTES
    index = 0
    current = _read_exactly(src, block)
    while True:
        following = _read_exactly(src, block) if len(current) == block else b""
        last = not following
        if len(current) < TAG_BYTES:
            raise VaultIntegrityError("the encrypted object is truncated")
        nonce, chunk_aad = _chunk_nonce_and_aad(header, prefix, index, last, aad)
        try:
            plaintext = aead.decrypt(nonce, current, chunk_aad)
        except InvalidTag:
            raise VaultIntegrityError(f"chunk {index} failed authentication") from None
        if plaintext:
            yield plaintext
        if last:
            return
        current = following
        index += 1


def decrypt_to_memory(src: Readable, data_key: bytes, aad: bytes, *, max_bytes: int = 1024 * 1024 * 1024) -> io.BytesIO:
    """Decrypt a whole object into RAM and return a seekable BytesIO positioned at 0 (what PyAV needs).

    Memory trade-off: the whole plaintext is held in RAM (a 10-minute 720p sample is typically 50–300 MB), in
    exchange for two guarantees: nothing is parsed before the whole object has been authenticated (a truncated or
    tampered object raises here, before PyAV sees a byte), and the result is seekable, which MP4 files with the
    `moov` index at the end require. `max_bytes` caps the RAM an oversized object can take. For containers that
    decode front to back (WebM from MediaRecorder), `DecryptedReader` streams with about two chunks of memory
    instead, at the cost of authenticating the tail only at the end.
    """
    buffer = io.BytesIO()
    for chunk in decrypt_stream(src, data_key, aad):
        if buffer.tell() + len(chunk) > max_bytes:
            raise VaultIntegrityError(f"the decrypted object is larger than {max_bytes} bytes")
        buffer.write(chunk)
    buffer.seek(0)
    return buffer


class DecryptedReader(io.RawIOBase):
    """A read-only, non-seekable file object over `decrypt_stream`, like the read end of a pipe.

    Bounded memory (about two chunks). Because verification is per chunk, a truncated object raises
    VaultIntegrityError from `read()` only at its end: callers must treat a read error as "reject everything".
    """

    def __init__(self, src: Readable, data_key: bytes, aad: bytes) -> None:
        super().__init__()
        self._chunks = decrypt_stream(src, data_key, aad)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        while not self._pending:
            try:
                self._pending = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size
