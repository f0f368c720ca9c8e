"""`manage.py sync_staff_groups`: make the staff groups and their permissions match accounts.staff_groups."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from accounts.staff_groups import sync_staff_groups


class Command(BaseCommand):
    help = "Create the staff groups (reviewers, support) and give each exactly its permissions."

    def handle(self, *args: Any, **options: Any) -> None:
        for change in sync_staff_groups():
            if not change.changed:
                self.stdout.write(f"{change.group}: up to date")
                continue
            verb = "created" if change.created else "updated"
            self.stdout.write(
                f"{change.group}: {verb}; added {', '.join(change.added) or 'nothing'}; "
                f"removed {', '.join(change.removed) or 'nothing'}"
            )
