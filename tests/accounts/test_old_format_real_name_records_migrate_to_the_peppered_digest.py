"""A real-name record stored in the old format (HMAC of the number beside the full date of birth) migrates: its
HMAC is re-derived into the peppered scrypt digest, so the same document is still refused for another account;
the birth date becomes `adult_on` for a minor and nothing for an adult; the old columns are gone."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.identity import adult_on, gb11643_check_character, hash_id_number

pytestmark = pytest.mark.django_db(transaction=True)

ADULT_ID = "11010519491231002X"


def _minor_id() -> tuple[str, date]:
    born = date(timezone.localdate().year - 16, 5, 17)
    first17 = f"110101{born:%Y%m%d}123"
    return first17 + gb11643_check_character(first17), born


def _migration_named(suffix: str) -> tuple[str, str]:
    loader = MigrationExecutor(connection).loader
    names = [name for app, name in loader.disk_migrations if app == "accounts" and name.endswith(suffix)]
    assert len(names) == 1, names
    return ("accounts", names[0])


def test_an_old_row_is_rederived_and_its_number_still_counts_once() -> None:
    target = _migration_named("real_name_id_number_digest")
    executor = MigrationExecutor(connection)
    before = executor.loader.get_migration(*target).dependencies
    executor.migrate(before)
    try:
        old = MigrationExecutor(connection).loader.project_state(before).apps
        user_model = old.get_model("accounts", "User")
        record_model = old.get_model("accounts", "RealNameRecord")
        adult_user = user_model.objects.create(email="old-adult@example.com", password="!")
        minor_user = user_model.objects.create(email="old-minor@example.com", password="!")
        minor_id, minor_born = _minor_id()
        for user, number, born in ((adult_user, ADULT_ID, date(1949, 12, 31)), (minor_user, minor_id, minor_born)):
            record_model.objects.create(
                user=user,
                legal_name="Old Format",
                id_number_hash=hash_id_number(number, document_type="prc_resident_id", key=settings.ID_HASH_KEY),
                id_number_last4=number[-4:],
                date_of_birth=born,
                method="id_card_nfc",
                verified_at=timezone.now(),
            )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    from accounts.models import RealNameRecord, User
    from accounts.services import id_number_kdf_cost, record_real_name
    from common.api import DomainError

    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, "accounts_realnamerecord")}
    assert "id_number_hash" not in columns
    assert "date_of_birth" not in columns

    adult = RealNameRecord.objects.get(user__email="old-adult@example.com")
    minor = RealNameRecord.objects.get(user__email="old-minor@example.com")
    assert adult.adult_on is None
    assert minor.adult_on == adult_on(minor_born)
    assert adult.id_number_kdf == minor.id_number_kdf == id_number_kdf_cost().label
    assert adult.id_number_last4 == "002X"

    # The migrated digest is exactly what a new verification computes: the document still counts once.
    staff = User.objects.create_user(email="staff@veracast.example", password="x", is_staff=True)
    newcomer = User.objects.create_user(email="newcomer@example.com", password="x")
    with pytest.raises(DomainError) as refused:
        record_real_name(
            user=newcomer,
            legal_name="Someone Else",
            id_number=ADULT_ID,
            date_of_birth=date(1949, 12, 31),
            method="id_card_nfc",
            verified_by=staff,
        )
    assert refused.value.detail.code == "id_number_in_use"
