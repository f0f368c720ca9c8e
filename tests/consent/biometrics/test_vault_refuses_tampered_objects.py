"""Truncation, reordering, bit flips and appended data are all refused with VaultIntegrityError."""

from __future__ import annotations

import io
import os

import pytest

from consent.biometrics.envelope import HEADER_BYTES, TAG_BYTES, decrypt_stream, encrypt_stream
from consent.biometrics.errors import VaultIntegrityError

AAD = b"influencer:7|statement:3"
CHUNK = 64
BLOCK = CHUNK + TAG_BYTES
KEY = os.urandom(32)
PLAINTEXT = os.urandom(CHUNK * 4 + 10)  # five chunks, the last one short


def sealed() -> bytes:
    out = io.BytesIO()
    encrypt_stream(io.BytesIO(PLAINTEXT), out, KEY, AAD, chunk_size=CHUNK)
    return out.getvalue()


def decrypt(data: bytes) -> bytes:
    return b"".join(decrypt_stream(io.BytesIO(data), KEY, AAD))


def chunks_of(data: bytes) -> tuple[bytes, list[bytes]]:
    body = data[HEADER_BYTES:]
    return data[:HEADER_BYTES], [body[i : i + BLOCK] for i in range(0, len(body), BLOCK)]


def test_the_untouched_object_decrypts() -> None:
    assert decrypt(sealed()) == PLAINTEXT


@pytest.mark.parametrize("dropped", [1, 2, 4])
def test_it_refuses_an_object_truncated_at_a_chunk_boundary(dropped: int) -> None:
    header, chunks = chunks_of(sealed())
    with pytest.raises(VaultIntegrityError):
        decrypt(header + b"".join(chunks[:-dropped]))


@pytest.mark.parametrize("cut", [1, TAG_BYTES, BLOCK + 5])
def test_it_refuses_an_object_truncated_inside_a_chunk(cut: int) -> None:
    with pytest.raises(VaultIntegrityError):
        decrypt(sealed()[:-cut])


def test_it_refuses_an_object_cut_inside_its_header() -> None:
    with pytest.raises(VaultIntegrityError):
        decrypt(sealed()[: HEADER_BYTES - 1])


def test_it_refuses_reordered_chunks() -> None:
    header, chunks = chunks_of(sealed())
    chunks[1], chunks[2] = chunks[2], chunks[1]
    with pytest.raises(VaultIntegrityError):
        decrypt(header + b"".join(chunks))


def test_it_refuses_a_chunk_copied_from_another_object_under_the_same_key() -> None:
    header, chunks = chunks_of(sealed())
    _, other = chunks_of(sealed())
    chunks[1] = other[1]
    with pytest.raises(VaultIntegrityError):
        decrypt(header + b"".join(chunks))


def test_it_refuses_data_appended_after_the_final_chunk() -> None:
    data = sealed()
    _, chunks = chunks_of(data)
    with pytest.raises(VaultIntegrityError):
        decrypt(data + chunks[0])


@pytest.mark.parametrize("position", [0, 5, 10, HEADER_BYTES - 1, HEADER_BYTES, HEADER_BYTES + 70, -1])
def test_it_refuses_a_single_flipped_bit_anywhere(position: int) -> None:
    data = bytearray(sealed())
    data[position] ^= 0x01
    with pytest.raises(VaultIntegrityError):
        decrypt(bytes(data))


def test_the_refusal_names_no_plaintext_and_has_a_stable_code() -> None:
    data = bytearray(sealed())
    data[HEADER_BYTES + 3] ^= 0x80
    with pytest.raises(VaultIntegrityError) as caught:
        decrypt(bytes(data))
    assert caught.value.code == "vault_integrity"
