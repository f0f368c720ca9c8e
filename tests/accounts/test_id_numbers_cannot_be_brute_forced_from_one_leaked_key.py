"""Attack: someone holds the database and VERACAST_ID_HASH_KEY. With the birth date and the last four characters
stored beside the number's HMAC, only the ~3,000 region codes were left to try. Now no birth date is stored (a
minor's 18th birthday only), and the number is kept only as scrypt under a second secret, the pepper."""

from __future__ import annotations

import hashlib
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.identity import PRODUCTION_ID_KDF, ScryptCost, adult_on, hash_id_number, id_number_digest
from accounts.models import RealNameRecord
from accounts.services import id_number_kdf_cost, is_adult_on, record_real_name
from common.api import DomainError
from tests.config.test_bad_environment_values_stop_start_up import run_check

BOB_ID = "11010519491231002X"
BOB_DOB = date(1949, 12, 31)


def _record(user: Any, sam: Any, number: str = BOB_ID, born: date = BOB_DOB) -> RealNameRecord:
    return record_real_name(
        user=user,
        legal_name="Robert Example",
        id_number=number,
        date_of_birth=born,
        method="face_liveness",
        verified_by=sam,
    )


@pytest.mark.django_db
def test_the_row_holds_no_birth_date_and_no_keyed_hash(personas: dict[str, Any]) -> None:
    record = _record(personas["bob"], personas["sam"])

    columns = {field.column for field in RealNameRecord._meta.concrete_fields}
    assert "date_of_birth" not in columns
    assert "id_number_hash" not in columns
    stored = RealNameRecord.objects.filter(pk=record.pk).values().get()
    text = " ".join(str(value) for value in stored.values())
    keyed = hash_id_number(BOB_ID, document_type="prc_resident_id", key=settings.ID_HASH_KEY)
    for leak in (BOB_ID, "1949", keyed):
        assert leak not in text
    assert stored["adult_on"] is None  # an adult: no date at all
    assert stored["id_number_last4"] == "002X"
    assert stored["id_number_digest"] == id_number_digest(
        keyed, pepper=settings.ID_NUMBER_PEPPER, cost=id_number_kdf_cost()
    )
    assert stored["id_number_kdf"] == id_number_kdf_cost().label


@pytest.mark.django_db
def test_a_minor_keeps_only_the_day_they_turn_18(personas: dict[str, Any]) -> None:
    from accounts.identity import gb11643_check_character

    born = date(timezone.localdate().year - 16, 2, 29 if (timezone.localdate().year - 16) % 4 == 0 else 28)
    first17 = f"110101{born:%Y%m%d}123"
    record = _record(personas["victor"], personas["sam"], number=first17 + gb11643_check_character(first17), born=born)

    assert record.adult_on == adult_on(born)
    assert record.adult_on.year == born.year + 18
    assert is_adult_on(personas["victor"], record.adult_on) is True
    assert is_adult_on(personas["victor"], date.fromordinal(record.adult_on.toordinal() - 1)) is False
    assert is_adult_on(personas["bob"], timezone.localdate()) is None
    assert adult_on(date(2008, 2, 29)) == date(2026, 3, 1)


@pytest.mark.django_db
def test_the_hash_key_alone_does_not_reproduce_the_digest(personas: dict[str, Any]) -> None:
    record = _record(personas["bob"], personas["sam"])
    keyed = hash_id_number(BOB_ID, document_type="prc_resident_id", key=settings.ID_HASH_KEY)
    cost = ScryptCost.from_label(record.id_number_kdf)

    # The attacker's best effort without the pepper: the HMAC itself, or scrypt under a guessed pepper.
    assert record.id_number_digest != keyed
    assert record.id_number_digest != id_number_digest(keyed, pepper="", cost=cost)
    assert record.id_number_digest != id_number_digest(keyed, pepper=settings.ID_HASH_KEY, cost=cost)
    assert settings.ID_NUMBER_PEPPER != settings.ID_HASH_KEY


@pytest.mark.django_db
def test_one_document_still_verifies_one_account_even_after_the_cost_was_raised(
    personas: dict[str, Any], settings: Any
) -> None:
    _record(personas["bob"], personas["sam"])
    settings.ID_NUMBER_SCRYPT_N = 2**5  # rows made under the earlier cost must still be found

    with pytest.raises(DomainError) as refused:
        _record(personas["victor"], personas["sam"], number="110105 19491231 002x")

    assert refused.value.detail.code == "id_number_in_use"
    assert not RealNameRecord.objects.filter(user=personas["victor"]).exists()


def test_the_production_cost_is_memory_hard() -> None:
    from config.settings import base

    production = ScryptCost(n=base.ID_NUMBER_SCRYPT_N, r=base.ID_NUMBER_SCRYPT_R, p=base.ID_NUMBER_SCRYPT_P)
    assert production == PRODUCTION_ID_KDF
    assert production.n >= 2**14
    assert production.memory_bytes >= 16 * 1024 * 1024
    # It really runs at that cost (the memory limit passed to scrypt is large enough) and is not instant.
    started = time.perf_counter()
    digest = id_number_digest(hashlib.sha256(b"x").hexdigest(), pepper="p", cost=production)
    assert len(digest) == 64
    assert time.perf_counter() - started > 0.005


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"VERACAST_ID_NUMBER_SCRYPT_N": "4096"}, "must be at least 16384"),
        ({"VERACAST_ID_NUMBER_SCRYPT_N": "20000"}, "power of two"),
        ({"VERACAST_ID_NUMBER_PEPPER": "same", "VERACAST_ID_HASH_KEY": "same"}, "must differ"),
    ],
)
def test_a_weak_setting_stops_start_up(tmp_path: Path, env: dict[str, str], expected: str) -> None:
    result = run_check(tmp_path, **env)
    assert result.returncode != 0
    assert expected in result.stderr
