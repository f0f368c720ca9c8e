"""Pure helpers for identity document numbers: normalise, validate, and digest them; and the adult-from date.

Nothing here stores, logs or returns a document number in clear except `normalise_id_number`'s return value,
which callers digest at once and drop. The functions raise `InvalidIdNumberError` with a stable code; the message
never repeats the number.

What is stored of a number is `id_number_digest`: scrypt (memory-hard) under a pepper, over the HMAC of the number
under `VERACAST_ID_HASH_KEY`. Both secrets are needed to test a single guess, and each guess costs the scrypt memory
and time, so one leaked key no longer lets anyone run through the few thousand numbers a birth date and last four
leave open. It is deterministic (no per-row salt) on purpose: one document, one account needs an equality lookup.
Chaining over the HMAC (rather than hashing the number afresh) lets rows of the old HMAC-only format migrate without
the number.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date

PRC_RESIDENT_ID = "prc_resident_id"

# GB 11643-1999: weights of the first 17 digits, and the check character for each remainder mod 11.
_GB11643_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_GB11643_CHECK = "10X98765432"
_PRC_ID = re.compile(r"^[1-9]\d{16}[\dX]$")
# Other documents are only shape-checked: their numbering rules are not public or vary by issuing country.
_OTHER_ID = re.compile(r"^[A-Z0-9]{5,20}$")
_SEPARATORS = re.compile(r"[\s\-]")


class InvalidIdNumberError(ValueError):
    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


def normalise_id_number(raw: str) -> str:
    """Upper-case and strip spaces and dashes, so that `1101 0119...x` and `110101...X` hash the same."""
    return _SEPARATORS.sub("", raw).upper()


def gb11643_check_character(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _GB11643_WEIGHTS, strict=True))
    return _GB11643_CHECK[total % 11]


def validate_id_number(number: str, *, document_type: str, date_of_birth: date | None = None) -> None:
    """Raise `InvalidIdNumberError` unless `number` (already normalised) is a well-formed document number.

    For a PRC resident ID this checks the length, the check digit (GB 11643) and that the birth date encoded in
    digits 7 to 14 exists and equals `date_of_birth` when given.
    """
    if document_type != PRC_RESIDENT_ID:
        if not _OTHER_ID.match(number):
            raise InvalidIdNumberError(
                "The document number must be 5 to 20 letters or digits.", code="invalid_id_number"
            )
        return
    if not _PRC_ID.match(number):
        raise InvalidIdNumberError(
            "A PRC resident ID number has 18 characters: 17 digits and a digit or X.", code="invalid_id_number"
        )
    if gb11643_check_character(number[:17]) != number[17]:
        raise InvalidIdNumberError("The ID number's check digit is wrong (GB 11643).", code="invalid_id_number")
    try:
        encoded_birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumberError(
            "The ID number encodes a birth date that does not exist.", code="invalid_id_number"
        ) from None
    if date_of_birth is not None and encoded_birth != date_of_birth:
        raise InvalidIdNumberError(
            "The date of birth does not match the one encoded in the ID number.", code="date_of_birth_mismatch"
        )


def hash_id_number(number: str, *, document_type: str, key: str) -> str:
    """HMAC-SHA256 (hex) of the normalised number under the platform's ID hash key.

    A PRC resident ID is hashed as is. Other document types are prefixed with their type, so that a passport
    number can never collide with a resident ID number that happens to be spelled the same.
    """
    message = number if document_type == PRC_RESIDENT_ID else f"{document_type}:{number}"
    return hmac.new(key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()


def age_on(date_of_birth: date, day: date) -> int:
    """Whole years completed on `day` (a person born on 29 February turns a year older on 1 March)."""
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


@dataclass(frozen=True)
class ScryptCost:
    """scrypt's cost parameters: memory is 128 * r * n bytes (n=2**15, r=8: 32 MiB) per guess."""

    n: int
    r: int
    p: int

    @property
    def memory_bytes(self) -> int:
        return 128 * self.r * self.n

    @property
    def label(self) -> str:
        """Stored next to each digest, so that rows made under another cost are still found."""
        return f"scrypt:n={self.n},r={self.r},p={self.p}"

    @classmethod
    def from_label(cls, label: str) -> ScryptCost:
        name, _, params = label.partition(":")
        if name != "scrypt":
            raise ValueError(f"unknown id number KDF {label!r}")
        values = dict(item.split("=", 1) for item in params.split(","))
        return cls(n=int(values["n"]), r=int(values["r"]), p=int(values["p"]))


# The production default (settings may only raise it): about 32 MiB and tens of milliseconds per guess.
PRODUCTION_ID_KDF = ScryptCost(n=2**15, r=8, p=1)


def id_number_digest(keyed_hash: str, *, pepper: str, cost: ScryptCost) -> str:
    """scrypt (hex) of `hash_id_number(...)`'s output under the pepper (a secret apart from the HMAC key)."""
    salt = hashlib.sha256(b"veracast id number pepper|" + pepper.encode("utf-8")).digest()
    derived = hashlib.scrypt(
        keyed_hash.encode("ascii"),
        salt=salt,
        n=cost.n,
        r=cost.r,
        p=cost.p,
        maxmem=2 * cost.memory_bytes * cost.p + (1 << 20),
        dklen=32,
    )
    return derived.hex()


def adult_on(date_of_birth: date, *, adult_age: int = 18) -> date:
    """The day a person born on `date_of_birth` turns `adult_age` (29 February: 1 March, as in `age_on`)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + adult_age)
    except ValueError:
        return date(date_of_birth.year + adult_age, 3, 1)
