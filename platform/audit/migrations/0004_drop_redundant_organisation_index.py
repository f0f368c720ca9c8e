"""Drop the single-column index Django made for LedgerEvent.organisation.

ledger_event_org_idx (organisation_id, id) already serves every lookup by organisation, and each index on the ledger
is one more write on every append. Done by hand rather than with AlterField, which on PostgreSQL would drop and
re-validate the foreign key (a scan of the whole ledger) and still leave the index behind.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "audit_ledgerevent"


def _single_column_indexes(schema_editor):
    constraints = schema_editor.connection.introspection.get_constraints(schema_editor.connection.cursor(), TABLE)
    return [
        name
        for name, info in constraints.items()
        if info["index"] and not info["unique"] and not info["primary_key"] and info["columns"] == ["organisation_id"]
    ]


def drop_index(apps, schema_editor):
    for name in _single_column_indexes(schema_editor):
        schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def create_index(apps, schema_editor):
    if not _single_column_indexes(schema_editor):
        schema_editor.execute(
            f"CREATE INDEX {schema_editor.quote_name('audit_ledgerevent_organisation_id_8c4ea2d3')} "
            f"ON {schema_editor.quote_name(TABLE)} ({schema_editor.quote_name('organisation_id')})"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_real_name_document_type"),
        ("audit", "0003_append_function"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="ledgerevent",
                    name="organisation",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_index, create_index)],
        ),
    ]
