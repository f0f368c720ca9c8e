"""`manage.py init_keys`: create the development keys (idempotent); `--rotate` makes new ones, keeps old public keys."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.keys import KeyUnavailableError, init_keys


class Command(BaseCommand):
    help = "Create the platform's development signing keys unless they exist (--rotate makes new ones)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--rotate", action="store_true", help="Make new keys; earlier public keys are kept for verification."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            lines = init_keys(rotate=options["rotate"])
        except (KeyUnavailableError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        for line in lines:
            self.stdout.write(line)
