from __future__ import annotations

import io
import os

import pytest

from consent.biometrics.envelope import DEFAULT_CHUNK_SIZE, HEADER_BYTES, TAG_BYTES, decrypt_stream, encrypt_stream

AAD = b"influencer:7|sample:1"


def encrypt(plaintext: bytes, key: bytes, *, chunk_size: int = 64) -> bytes:
    out = io.BytesIO()
    encrypt_stream(io.BytesIO(plaintext), out, key, AAD, chunk_size=chunk_size)
    return out.getvalue()


@pytest.mark.parametrize("size", [0, 1, 63, 64, 65, 128, 1000])
def test_it_round_trips_objects_of_any_length_across_chunk_boundaries(size: int) -> None:
    key = os.urandom(32)
    plaintext = os.urandom(size)
    sealed = encrypt(plaintext, key)
    chunks = max(1, -(-size // 64))  # a full last chunk is the final one: no empty chunk is added
    assert len(sealed) == HEADER_BYTES + size + chunks * TAG_BYTES
    assert b"".join(decrypt_stream(io.BytesIO(sealed), key, AAD)) == plaintext


def test_it_streams_megabyte_chunks_one_at_a_time() -> None:
    key = os.urandom(32)
    plaintext = os.urandom(2 * DEFAULT_CHUNK_SIZE + 12345)
    sealed = io.BytesIO()
    encrypt_stream(io.BytesIO(plaintext), sealed, key, AAD)
    sealed.seek(0)
    chunks = list(decrypt_stream(sealed, key, AAD))
    assert [len(c) for c in chunks] == [DEFAULT_CHUNK_SIZE, DEFAULT_CHUNK_SIZE, 12345]
    assert b"".join(chunks) == plaintext


def test_the_ciphertext_reveals_no_plaintext_and_differs_every_time() -> None:
    key = os.urandom(32)
    plaintext = b"Eileen Collins, real name record " * 20
    first, second = encrypt(plaintext, key), encrypt(plaintext, key)
    assert b"Eileen" not in first
    assert first != second  # fresh salt and nonce prefix per object


def test_it_reads_from_sources_that_return_short_reads() -> None:
    class Trickle(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            return self.data.read(min(size, 7) if size >= 0 else 7)

    key = os.urandom(32)
    plaintext = os.urandom(500)
    sealed = io.BytesIO()
    encrypt_stream(Trickle(plaintext), sealed, key, AAD, chunk_size=64)  # type: ignore[arg-type]
    assert b"".join(decrypt_stream(Trickle(sealed.getvalue()), key, AAD)) == plaintext  # type: ignore[arg-type]
