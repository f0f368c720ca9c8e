"""A BRIN index on the ledger's recorded_at, for the ledger browser's time-range filter.

Why BRIN and not a B-tree: events are appended in time order, so each block range of the table holds a narrow span
of times and a BRIN index (a few pages for millions of rows) finds the ranges that matter; it adds next to nothing
to an append, where a B-tree would be one more index write on the platform's hottest insert. PostgreSQL only (the
SQLite demo database has no BRIN and no table large enough to need it); not declared on the model, like the append
function of 0003, so the two backends keep one model state.
"""

from django.db import migrations

INDEX = "ledger_event_recorded_brin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON audit_ledgerevent USING brin (recorded_at) "
            "WITH (pages_per_range = 32)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_drop_redundant_organisation_index")]

    operations = [migrations.RunPython(create, drop)]
