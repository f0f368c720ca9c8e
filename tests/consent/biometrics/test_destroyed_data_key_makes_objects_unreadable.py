"""Crypto-shredding: once every copy of the wrapped data key is gone, the stored objects are noise."""

from __future__ import annotations

import io
import os

import pytest

from consent.biometrics.envelope import (
    MasterKey,
    decrypt_stream,
    encrypt_stream,
    generate_data_key,
    unwrap_data_key,
    wrap_data_key,
)
from consent.biometrics.errors import VaultIntegrityError


def test_objects_cannot_be_read_after_the_wrapped_data_key_is_destroyed() -> None:
    master = MasterKey("kek-1", os.urandom(32))
    data_key = generate_data_key()
    row = {"wrapped_key": wrap_data_key(data_key, master, context=b"influencer:7")}
    stored = io.BytesIO()
    encrypt_stream(io.BytesIO(b"sample video bytes" * 100), stored, data_key, b"influencer:7|sample:1")
    del data_key

    # Before shredding, the key unwraps and the object reads.
    key = unwrap_data_key(row["wrapped_key"], master, context=b"influencer:7")
    assert b"".join(decrypt_stream(io.BytesIO(stored.getvalue()), key, b"influencer:7|sample:1"))

    # Shredding: the wrapped key row is overwritten and deleted; the master key alone cannot help.
    row["wrapped_key"] = b"\x00" * len(row.pop("wrapped_key"))
    with pytest.raises(VaultIntegrityError):
        unwrap_data_key(row["wrapped_key"], master, context=b"influencer:7")
    # Whoever still holds the ciphertext (a backup, an old disk) can only guess keys, and every guess fails.
    for guess in (os.urandom(32), master.key, b"\x00" * 32):
        with pytest.raises(VaultIntegrityError):
            b"".join(decrypt_stream(io.BytesIO(stored.getvalue()), guess, b"influencer:7|sample:1"))
