from __future__ import annotations

from datetime import date

import pytest

from accounts.identity import (
    InvalidIdNumberError,
    age_on,
    gb11643_check_character,
    hash_id_number,
    normalise_id_number,
    validate_id_number,
)

# The GB 11643-1999 standard's own worked example, whose check character is X.
STANDARD_EXAMPLE = "11010519491231002X"


def test_it_computes_the_check_character_of_the_standards_example() -> None:
    assert gb11643_check_character(STANDARD_EXAMPLE[:17]) == "X"
    assert gb11643_check_character("11010119900101123") == "7"


def test_it_accepts_a_valid_number_with_its_encoded_birth_date() -> None:
    validate_id_number(STANDARD_EXAMPLE, document_type="prc_resident_id", date_of_birth=date(1949, 12, 31))


def test_it_normalises_spaces_dashes_and_a_lower_case_x() -> None:
    assert normalise_id_number("110105 1949-1231 002x") == STANDARD_EXAMPLE


@pytest.mark.parametrize(
    "number",
    [
        "110101199001011234",  # wrong check digit (should be 7)
        "11010119900101123",  # 17 characters
        "1101011990010112377",  # 19 characters
        "010101199001011237",  # region code cannot start with 0
        "11010119900101123A",  # only X may be a letter
        "110101199002301236",  # valid check digit, but 30 February does not exist
    ],
)
def test_it_refuses_a_malformed_prc_number(number: str) -> None:
    with pytest.raises(InvalidIdNumberError) as refused:
        validate_id_number(number, document_type="prc_resident_id")
    assert refused.value.code == "invalid_id_number"
    assert number not in str(refused.value)


def test_it_refuses_a_birth_date_that_differs_from_the_encoded_one() -> None:
    with pytest.raises(InvalidIdNumberError) as refused:
        validate_id_number(STANDARD_EXAMPLE, document_type="prc_resident_id", date_of_birth=date(1949, 12, 30))
    assert refused.value.code == "date_of_birth_mismatch"


def test_other_documents_are_shape_checked_only() -> None:
    validate_id_number("E12345678", document_type="passport")
    with pytest.raises(InvalidIdNumberError):
        validate_id_number("E1", document_type="passport")


def test_the_hash_is_keyed_and_namespaced_by_document_type() -> None:
    prc = hash_id_number(STANDARD_EXAMPLE, document_type="prc_resident_id", key="k1")
    assert len(prc) == 64
    assert prc != hash_id_number(STANDARD_EXAMPLE, document_type="prc_resident_id", key="k2")
    assert prc != hash_id_number(STANDARD_EXAMPLE, document_type="passport", key="k1")


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2008, 6, 15), date(2026, 6, 14), 17),
        (date(2008, 6, 15), date(2026, 6, 15), 18),
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
    ],
)
def test_age_counts_whole_years_completed(born: date, on: date, age: int) -> None:
    assert age_on(born, on) == age
