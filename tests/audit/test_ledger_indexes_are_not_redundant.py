"""Every index on the ledger is one more write on every append: none may be a leading part of another, on either
database backend (migration audit/0004 dropped the one Django made for the organisation foreign key)."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_no_ledger_index_is_covered_by_another() -> None:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "audit_ledgerevent")
    indexes = {name: info["columns"] for name, info in constraints.items() if info["index"] or info["unique"]}
    assert any(columns == ["organisation_id", "id"] for columns in indexes.values())
    covered = [
        (name, other)
        for name, columns in indexes.items()
        for other, longer in indexes.items()
        if name != other
        and not constraints[name]["unique"]
        and len(columns) < len(longer)
        and longer[: len(columns)] == columns
    ]
    assert covered == []
