from __future__ import annotations

from collections import Counter

import pytest

from consent.biometrics.codes import DIGITS, LETTERS, generate_code, normalise_code


def test_codes_are_six_digits_by_default() -> None:
    code = generate_code()
    assert len(code) == 6
    assert set(code) <= set(DIGITS)


def test_letter_codes_avoid_characters_people_confuse() -> None:
    for ch in "0O1IL2Z5S8B":
        assert ch not in LETTERS
    codes = [generate_code(alphabet=LETTERS) for _ in range(200)]
    assert all(len(c) == 6 and set(c) <= set(LETTERS) for c in codes)


def test_codes_are_not_repeated_and_use_the_whole_alphabet() -> None:
    codes = [generate_code() for _ in range(2000)]
    assert len(set(codes)) > 1990  # a million possibilities: a handful of collisions at most
    counts = Counter("".join(codes))
    assert set(counts) == set(DIGITS)
    assert min(counts.values()) > 0.7 * max(counts.values())


def test_codes_that_are_too_weak_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 6"):
        generate_code(length=4)
    with pytest.raises(ValueError, match="at least 6"):
        generate_code(alphabet="ABC")


def test_what_a_person_types_back_is_normalised() -> None:
    assert normalise_code(" 12 34-56 ") == "123456"
    assert normalise_code("ac-3 dq") == "AC3DQ"
