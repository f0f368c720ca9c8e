"""Rows for tests/api/test_authorization_matrix.py covering the auditor export API (merged there with
`MATRIX.update(export_rows(Row, _statuses))`).

Exports are for auditors of an organisation and platform readers: audrey (Acme's auditor), sam (staff) and paula
(platform auditor) list, read and ask (202); everyone else is refused (403), owners included, and asking is refused
with the refusal ledgered. A download needs the link's token: without one it is 403 for everybody.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _export(ctx: dict[str, Any]) -> dict[str, Any]:
    from audit.models import AuditExport

    if "export" not in ctx:
        ctx["export"] = AuditExport.objects.create(organisation=ctx["acme"], requested_by=ctx["audrey"])
    return {"export_id": str(ctx["export"].public_id)}


def export_rows(row: Callable[..., Any], statuses: Callable[..., dict[str, int]]) -> dict[tuple[str, str], Any]:
    readers = statuses(403, audrey=200, sam=200, paula=200)
    return {
        ("ledger:ledger-export-list", "GET"): row(readers),
        ("ledger:ledger-export-list", "POST"): row(
            statuses(403, audrey=202, sam=202, paula=202), body=lambda ctx, p: {"organisation": "acme"}
        ),
        ("ledger:ledger-export-detail", "GET"): row(readers, kwargs=_export),
        ("ledger:ledger-export-download", "GET"): row(statuses(403), kwargs=_export),
    }
