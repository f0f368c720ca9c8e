"""Real-name records: the ID number's HMAC and the full date of birth are no longer stored together.

Each row's HMAC is re-derived into the memory-hard, peppered digest (scrypt under VERACAST_ID_NUMBER_PEPPER over
the HMAC, exactly what `accounts.identity.id_number_digest` computes for new records), so one document still
verifies one account; the date of birth becomes `adult_on` for minors only; then the HMAC and birth date columns
are dropped. Going back restores the columns empty (the data cannot come back): only an empty table can go back.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

ADULT_AGE = 18


def _digest(keyed_hash: str, *, pepper: str, n: int, r: int, p: int) -> str:
    # A frozen copy of accounts.identity.id_number_digest (a migration must not change when that module does).
    salt = hashlib.sha256(b"veracast id number pepper|" + pepper.encode("utf-8")).digest()
    maxmem = 2 * 128 * r * n * p + (1 << 20)
    return hashlib.scrypt(keyed_hash.encode("ascii"), salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=32).hex()


def _adult_on(born: date) -> date:
    try:
        return born.replace(year=born.year + ADULT_AGE)
    except ValueError:  # born on 29 February
        return date(born.year + ADULT_AGE, 3, 1)


def rederive(apps: Any, schema_editor: Any) -> None:
    record_model = apps.get_model("accounts", "RealNameRecord")
    n, r, p = int(settings.ID_NUMBER_SCRYPT_N), int(settings.ID_NUMBER_SCRYPT_R), int(settings.ID_NUMBER_SCRYPT_P)
    label = f"scrypt:n={n},r={r},p={p}"
    pepper = str(settings.ID_NUMBER_PEPPER)
    today = timezone.localdate()
    for row in record_model.objects.using(schema_editor.connection.alias).order_by("pk").iterator():
        turns_adult = _adult_on(row.date_of_birth)
        row.id_number_digest = _digest(row.id_number_hash, pepper=pepper, n=n, r=r, p=p)
        row.id_number_kdf = label
        row.adult_on = None if today >= turns_adult else turns_adult
        row.save(update_fields=["id_number_digest", "id_number_kdf", "adult_on"])


def refuse_unless_empty(apps: Any, schema_editor: Any) -> None:
    record_model = apps.get_model("accounts", "RealNameRecord")
    if record_model.objects.using(schema_editor.connection.alias).exists():
        raise RuntimeError("Real-name records cannot go back to the HMAC + birth date format: the data is gone.")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_real_name_document_type"),
    ]

    operations = [
        migrations.AddField(
            model_name="realnamerecord",
            name="id_number_digest",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="realnamerecord",
            name="id_number_kdf",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="realnamerecord",
            name="adult_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(rederive, refuse_unless_empty, elidable=False),
        migrations.RemoveField(model_name="realnamerecord", name="id_number_hash"),
        migrations.RemoveField(model_name="realnamerecord", name="date_of_birth"),
        migrations.AlterField(
            model_name="realnamerecord",
            name="id_number_digest",
            field=models.CharField(max_length=64, unique=True),
        ),
    ]
