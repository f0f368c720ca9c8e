from __future__ import annotations

import hashlib
import os

import pytest

from consent.biometrics.codes import check_code, code_digest, codes_equal

KEY = os.urandom(32)


def test_the_stored_form_is_an_hmac_not_the_code_or_its_plain_hash() -> None:
    digest = code_digest("471293", KEY, context="grant:42")
    assert len(digest) == 64
    assert "471293" not in digest
    assert digest != hashlib.sha256(b"471293").hexdigest()
    assert digest == code_digest("471293", KEY, context="grant:42")  # deterministic, so it can be looked up


def test_the_right_code_checks_and_a_wrong_one_does_not() -> None:
    stored = code_digest("471293", KEY, context="grant:42")
    assert check_code("471293", stored, KEY, context="grant:42")
    assert check_code("471 293", stored, KEY, context="grant:42")
    assert not check_code("471294", stored, KEY, context="grant:42")


def test_a_digest_is_bound_to_its_grant_and_its_server_key() -> None:
    stored = code_digest("471293", KEY, context="grant:42")
    assert not check_code("471293", stored, KEY, context="grant:43")
    assert not check_code("471293", stored, os.urandom(32), context="grant:42")


def test_a_short_server_key_is_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        code_digest("471293", b"secret")


def test_digests_are_compared_in_constant_time_helpers() -> None:
    a = code_digest("471293", KEY)
    assert codes_equal(a, a)
    assert not codes_equal(a, a[:-1] + ("0" if a[-1] != "0" else "1"))
    assert not codes_equal(a, "")
