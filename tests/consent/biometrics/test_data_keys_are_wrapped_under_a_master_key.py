from __future__ import annotations

import os

import pytest

from consent.biometrics.envelope import (
    MasterKey,
    generate_data_key,
    rewrap_data_key,
    unwrap_data_key,
    wrap_data_key,
    wrapped_key_id,
)
from consent.biometrics.errors import VaultIntegrityError

MASTER = MasterKey("kek-2026-01", os.urandom(32))


def test_a_wrapped_data_key_unwraps_under_its_master_key_and_owner() -> None:
    data_key = generate_data_key()
    wrapped = wrap_data_key(data_key, MASTER, context=b"influencer:7")
    assert data_key not in wrapped
    assert wrapped_key_id(wrapped) == "kek-2026-01"
    assert unwrap_data_key(wrapped, MASTER, context=b"influencer:7") == data_key


def test_a_wrapped_key_moved_to_another_influencer_does_not_unwrap() -> None:
    wrapped = wrap_data_key(generate_data_key(), MASTER, context=b"influencer:7")
    with pytest.raises(VaultIntegrityError):
        unwrap_data_key(wrapped, MASTER, context=b"influencer:8")


def test_another_master_key_cannot_unwrap_even_under_the_same_id() -> None:
    wrapped = wrap_data_key(generate_data_key(), MASTER, context=b"influencer:7")
    with pytest.raises(VaultIntegrityError):
        unwrap_data_key(wrapped, MasterKey("kek-2026-01", os.urandom(32)), context=b"influencer:7")
    with pytest.raises(VaultIntegrityError):
        unwrap_data_key(wrapped, MasterKey("kek-2026-02", MASTER.key), context=b"influencer:7")


def test_a_tampered_wrapped_key_is_refused() -> None:
    wrapped = bytearray(wrap_data_key(generate_data_key(), MASTER, context=b"influencer:7"))
    wrapped[-1] ^= 1
    with pytest.raises(VaultIntegrityError):
        unwrap_data_key(bytes(wrapped), MASTER, context=b"influencer:7")


def test_rotation_rewraps_the_same_data_key_under_the_new_master_key() -> None:
    data_key = generate_data_key()
    new = MasterKey("kek-2026-07", os.urandom(32))
    rewrapped = rewrap_data_key(
        wrap_data_key(data_key, MASTER, context=b"influencer:7"), MASTER, new, context=b"influencer:7"
    )
    assert wrapped_key_id(rewrapped) == "kek-2026-07"
    assert unwrap_data_key(rewrapped, new, context=b"influencer:7") == data_key


def test_a_master_key_never_shows_its_secret_in_logs() -> None:
    assert MASTER.key.hex() not in repr(MASTER)
    assert str(MASTER.key) not in repr(MASTER)


def test_keys_must_be_256_bits() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        MasterKey("short", os.urandom(16))
    with pytest.raises(ValueError, match="32 bytes"):
        wrap_data_key(os.urandom(16), MASTER, context=b"influencer:7")
