"""Unified Social Credit Codes (GB 32100-2015): both check characters are verified, so a code with a typo, a
forbidden letter or the wrong length is refused with a sentence saying what is wrong."""

from __future__ import annotations

import pytest

from accounts.uscc import InvalidUsccError, check_character, make_uscc, validate_uscc

# Published examples (the standard's own example, and two companies' codes from their business licences).
VALID = ["91350100M000100Y43", "91110000802100433B", "91440300708461136T"]


@pytest.mark.parametrize("code", VALID)
def test_real_codes_are_accepted(code: str) -> None:
    assert validate_uscc(code) == code


def test_spaces_and_lower_case_are_normalised() -> None:
    assert validate_uscc(" 9135 0100 m000 100y 43 ") == "91350100M000100Y43"


def test_the_check_character_uses_weights_three_to_the_power_i_modulo_31() -> None:
    # The standard's example: the weighted sum of the first 17 is 1640; 31 - 1640 % 31 = 3, the character "3".
    assert check_character("91350100M000100Y4") == "3"
    assert make_uscc("91310000", "MA1FACME") == "91310000MA1FACME42"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y44", "uscc_checksum"),  # last character off by one
        ("91350100M000100Y34", "uscc_checksum"),  # two characters swapped
        ("91350100M000101Y43", "uscc_checksum"),  # organisation code typo (its own check fails)
        ("91350100M000100Y4", "uscc_length"),
        ("91350100M000100Y433", "uscc_length"),
        ("91350100M0001O0Y43", "uscc_characters"),  # letter O is not in the alphabet
        ("9135010OI000100Y43", "uscc_characters"),
        ("", "uscc_length"),
    ],
)
def test_malformed_codes_are_refused_with_a_reason(code: str, reason: str) -> None:
    with pytest.raises(InvalidUsccError) as refused:
        validate_uscc(code)
    assert refused.value.code == reason
    assert str(refused.value).endswith(".")


def test_every_single_character_typo_in_a_valid_code_is_caught() -> None:
    from accounts.uscc import ALPHABET

    code = "91110000802100433B"
    for position in range(18):
        for replacement in ALPHABET:
            if replacement == code[position]:
                continue
            typo = code[:position] + replacement + code[position + 1 :]
            with pytest.raises(InvalidUsccError):
                validate_uscc(typo)
