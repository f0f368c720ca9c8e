"""`manage.py verify_ledger`: recompute every chain and checkpoint; exit 1 naming the first broken row."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.keys import KeyUnavailableError
from audit.selectors import verify_stored_ledger


class Command(BaseCommand):
    help = "Verify the ledger's hash chains, checkpoint Merkle roots, signatures and checkpoint chain."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = verify_stored_ledger()
        except KeyUnavailableError as exc:
            raise CommandError(str(exc)) from exc
        summary = (
            f"{report.events_checked} events in {report.subjects} subjects, {report.checkpoints_checked} checkpoints"
        )
        problem = report.first_problem
        if problem is not None:
            more = len(report.problems) - 1
            raise CommandError(
                f"LEDGER BROKEN at {problem.describe()}"
                + (f" (and {more} more problem(s))" if more else "")
                + f"; checked {summary}."
            )
        self.stdout.write(f"Ledger intact: {summary}.")
