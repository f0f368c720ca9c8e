from __future__ import annotations

import logging
from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.identity import hash_id_number, id_number_digest
from accounts.models import RealNameRecord
from accounts.services import id_number_kdf_cost, is_adult_on, is_real_name_verified, record_real_name
from audit.models import LedgerEvent
from common.api import DomainError

BOB_ID = "11010519491231002X"
BOB_DOB = date(1949, 12, 31)


def _record_bob(personas: dict[str, Any], **overrides: Any) -> RealNameRecord:
    fields: dict[str, Any] = {
        "user": personas["bob"],
        "legal_name": "Robert Example",
        "id_number": BOB_ID,
        "date_of_birth": BOB_DOB,
        "method": "face_liveness",
        "verified_by": personas["sam"],
    }
    fields.update(overrides)
    return record_real_name(**fields)


def test_it_stores_the_peppered_digest_and_the_last_four_characters_only(personas: dict[str, Any]) -> None:
    record = _record_bob(personas)
    record.refresh_from_db()
    keyed = hash_id_number(BOB_ID, document_type="prc_resident_id", key=settings.ID_HASH_KEY)
    assert record.id_number_digest == id_number_digest(
        keyed, pepper=settings.ID_NUMBER_PEPPER, cost=id_number_kdf_cost()
    )
    assert record.id_number_last4 == "002X"
    stored = " ".join(str(value) for value in RealNameRecord.objects.filter(pk=record.pk).values().first().values())
    assert BOB_ID not in stored


def test_the_ledger_event_has_no_name_number_or_birth_date(personas: dict[str, Any]) -> None:
    record = _record_bob(personas)
    event = LedgerEvent.objects.get(kind="real_name.verified", subject=f"user:{personas['bob'].public_id}")
    text = event.payload
    for secret in (BOB_ID, "Robert", "1949", "12-31"):
        assert secret not in text
    # No number-derived value at all: the ledger is copied to auditors and kept forever.
    assert "id_number_hash" not in event.payload_data
    assert record.id_number_digest not in text
    assert event.payload_data["id_number_last4"] == "002X"
    assert event.payload_data["is_adult"] is True
    assert event.actor == personas["sam"].ledger_actor


def test_it_logs_nothing_about_the_number(personas: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    _record_bob(personas)
    with pytest.raises(DomainError):
        _record_bob(personas, user=personas["victor"])
    assert BOB_ID not in caplog.text
    assert "Robert" not in caplog.text


def test_it_refuses_a_number_already_verified_for_another_user(personas: dict[str, Any]) -> None:
    _record_bob(personas)
    before = LedgerEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        _record_bob(personas, user=personas["victor"], id_number="110105 19491231 002x")
    assert refused.value.detail.code == "id_number_in_use"
    assert BOB_ID not in str(refused.value.detail)
    assert not is_real_name_verified(personas["victor"])
    assert LedgerEvent.objects.count() == before


def test_reverifying_the_same_person_replaces_their_record(personas: dict[str, Any]) -> None:
    _record_bob(personas)
    _record_bob(personas, method="document_review")
    assert RealNameRecord.objects.get(user=personas["bob"]).method == "document_review"


def test_it_refuses_an_invalid_number_without_echoing_it(personas: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as refused:
        _record_bob(personas, id_number="110105194912310021")
    assert refused.value.detail.code == "invalid_id_number"
    assert "110105194912310021" not in str(refused.value.detail)
    assert not is_real_name_verified(personas["bob"])


def test_it_refuses_a_birth_date_that_contradicts_the_number(personas: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as refused:
        _record_bob(personas, date_of_birth=date(1950, 1, 1))
    assert refused.value.detail.code == "date_of_birth_mismatch"


def test_only_staff_may_verify(personas: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as refused:
        _record_bob(personas, verified_by=personas["alice"])
    assert refused.value.detail.code == "staff_required"
    assert not is_real_name_verified(personas["bob"])


def test_it_accepts_a_passport_with_its_document_type(personas: dict[str, Any]) -> None:
    record = _record_bob(personas, id_number="E12345678", document_type="passport")
    assert record.document_type == "passport"
    assert record.id_number_last4 == "5678"


def test_verification_status_and_age_come_from_the_record(personas: dict[str, Any]) -> None:
    assert is_real_name_verified(personas["iris"])
    assert not is_real_name_verified(personas["bob"])
    assert is_adult_on(personas["iris"], date(2026, 1, 1)) is True
    assert is_adult_on(personas["bob"], timezone.localdate()) is None
