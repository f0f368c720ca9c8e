from __future__ import annotations

import io
import os

import pytest

from consent.biometrics.envelope import decrypt_stream, encrypt_stream
from consent.biometrics.errors import VaultIntegrityError


def sealed(key: bytes, aad: bytes) -> bytes:
    out = io.BytesIO()
    encrypt_stream(io.BytesIO(os.urandom(300)), out, key, aad, chunk_size=64)
    return out.getvalue()


def test_it_refuses_another_data_key() -> None:
    data = sealed(os.urandom(32), b"influencer:1|sample:1")
    with pytest.raises(VaultIntegrityError):
        b"".join(decrypt_stream(io.BytesIO(data), os.urandom(32), b"influencer:1|sample:1"))


def test_it_refuses_an_object_presented_under_another_name() -> None:
    key = os.urandom(32)
    data = sealed(key, b"influencer:1|sample:1")
    with pytest.raises(VaultIntegrityError):
        b"".join(decrypt_stream(io.BytesIO(data), key, b"influencer:2|sample:1"))


def test_it_refuses_a_key_of_the_wrong_length() -> None:
    data = sealed(os.urandom(32), b"x")
    with pytest.raises(VaultIntegrityError):
        b"".join(decrypt_stream(io.BytesIO(data), os.urandom(16), b"x"))


def test_it_refuses_something_that_is_not_a_vault_object() -> None:
    with pytest.raises(VaultIntegrityError):
        b"".join(decrypt_stream(io.BytesIO(b"\x1aE\xdf\xa3 a webm file, in clear"), os.urandom(32), b"x"))
