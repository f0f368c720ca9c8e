"""Vault objects are checked by PyAV straight from memory: no plaintext file is ever written."""

from __future__ import annotations

import io
import os

import pytest

from consent.biometrics.envelope import DecryptedReader, decrypt_to_memory, encrypt_stream
from consent.biometrics.errors import VaultIntegrityError
from consent.biometrics.media import iter_frames, probe_video

AAD = b"influencer:7|statement:1"


def seal(data: bytes, key: bytes) -> bytes:
    out = io.BytesIO()
    encrypt_stream(io.BytesIO(data), out, key, AAD, chunk_size=64 * 1024)
    return out.getvalue()


def test_an_encrypted_mp4_is_probed_from_a_memory_buffer(astronaut_statement_mp4: bytes) -> None:
    key = os.urandom(32)
    plain = decrypt_to_memory(io.BytesIO(seal(astronaut_statement_mp4, key)), key, AAD)
    assert plain.tell() == 0
    info = probe_video(plain)
    assert (info.codec, info.width, info.height) == ("h264", 854, 480)


def test_a_tampered_object_fails_before_pyav_sees_a_byte(astronaut_statement_mp4: bytes) -> None:
    key = os.urandom(32)
    sealed = seal(astronaut_statement_mp4, key)
    with pytest.raises(VaultIntegrityError):
        decrypt_to_memory(io.BytesIO(sealed[: len(sealed) // 2]), key, AAD)


def test_the_memory_buffer_is_capped() -> None:
    key = os.urandom(32)
    with pytest.raises(VaultIntegrityError, match="larger than"):
        decrypt_to_memory(io.BytesIO(seal(os.urandom(200_000), key)), key, AAD, max_bytes=100_000)


def test_a_webm_decodes_through_the_streaming_reader(grace_hopper_statement_webm: bytes) -> None:
    key = os.urandom(32)
    reader = DecryptedReader(io.BytesIO(seal(grace_hopper_statement_webm, key)), key, AAD)
    assert not reader.seekable()
    frames = sum(1 for _ in iter_frames(io.BufferedReader(reader)))  # type: ignore[arg-type]
    assert frames == 30


def test_the_streaming_reader_raises_when_the_object_is_cut_short(grace_hopper_statement_webm: bytes) -> None:
    key = os.urandom(32)
    sealed = seal(grace_hopper_statement_webm, key)
    reader = DecryptedReader(io.BytesIO(sealed[:-100]), key, AAD)
    with pytest.raises(VaultIntegrityError):
        reader.read()
