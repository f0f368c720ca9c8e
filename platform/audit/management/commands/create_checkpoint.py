"""`manage.py create_checkpoint`: sign a checkpoint over the events recorded since the last one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.keys import KeyUnavailableError
from audit.services import create_checkpoint


class Command(BaseCommand):
    help = "Sign a Merkle-root checkpoint over every ledger event since the previous checkpoint."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            checkpoint = create_checkpoint()
        except KeyUnavailableError as exc:
            raise CommandError(str(exc)) from exc
        if checkpoint is None:
            self.stdout.write("No new events since the last checkpoint; nothing signed.")
            return
        self.stdout.write(
            f"Checkpoint {checkpoint.pk}: {checkpoint.event_count} events "
            f"({checkpoint.first_event_id}..{checkpoint.last_event_id}), root {checkpoint.merkle_root}, "
            f"key {checkpoint.key_id}"
        )
