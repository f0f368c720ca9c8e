"""The Unified Social Credit Code (统一社会信用代码) of a legal entity, GB 32100-2015. Pure: no Django.

18 characters over the 31-character alphabet `0-9A-HJ-NP-RTUWXY` (no I, O, S, V, Z):
position 1 the registration authority, 2 the entity category, 3-8 the administrative division code (GB/T 2260),
9-17 the organisation code (GB 11714, itself ending in its own check character) and 18 the check character:

    C18 = ALPHABET[(31 - sum(value(Ci) * Wi for i in 1..17) mod 31) mod 31],  Wi = 3^(i-1) mod 31.

Both check characters are verified: a mistyped code almost always fails one of them, so staff never verify a
brand against a code that belongs to nobody (or to someone else by one typo).
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {c: i for i, c in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
# GB 11714 organisation code: 8 body characters (digits and capital letters, A=10 .. Z=35), then the check character.
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
LENGTH = 18


class InvalidUsccError(ValueError):
    def __init__(self, message: str, *, code: str = "invalid_uscc") -> None:
        super().__init__(message)
        self.code = code


def normalise_uscc(raw: str) -> str:
    """Upper case, surrounding and inner spaces removed (people copy codes from licences with spaces)."""
    return "".join(raw.split()).upper()


def check_character(first17: str) -> str:
    """The GB 32100 check character of the first 17 characters."""
    total = sum(VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_code_check_character(body8: str) -> str:
    """The GB 11714 check character of an organisation code's first 8 characters."""
    total = sum(int(c, 36) * w for c, w in zip(body8, ORG_CODE_WEIGHTS, strict=True))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def validate_uscc(code: str) -> str:
    """`code` normalised if it is a well-formed USCC with both check characters right; `InvalidUsccError`
    (with a sentence a person can act on) otherwise."""
    code = normalise_uscc(code)
    if len(code) != LENGTH:
        raise InvalidUsccError(
            f"A Unified Social Credit Code has 18 characters; this one has {len(code)}.", code="uscc_length"
        )
    bad = sorted({c for c in code if c not in VALUES})
    if bad:
        raise InvalidUsccError(
            "A Unified Social Credit Code uses only digits and the capital letters A-Y without I, O, S, V and Z; "
            f"this one contains {', '.join(repr(c) for c in bad)}.",
            code="uscc_characters",
        )
    if org_code_check_character(code[8:16]) != code[16]:
        raise InvalidUsccError(
            "The organisation code inside this Unified Social Credit Code (characters 9 to 17) does not add up: "
            "check it against the business licence.",
            code="uscc_checksum",
        )
    if check_character(code[:17]) != code[17]:
        raise InvalidUsccError(
            "The last character of this Unified Social Credit Code does not match the others: "
            "check it against the business licence.",
            code="uscc_checksum",
        )
    return code


def make_uscc(prefix8: str, org_body8: str) -> str:
    """A well-formed code from its first 8 characters and an organisation code body: for demos and tests."""
    org_code = org_body8 + org_code_check_character(org_body8)
    first17 = prefix8 + org_code
    return first17 + check_character(first17)
