"""`manage.py export_bundle --organisation SLUG [--subject S] [--since T] [--until T] [--media] --out FILE`.

Builds a signed auditor bundle on the server, without a worker (the demo and the benchmark use it). The export is
ledgered like any other (audit.export_requested by `cli:export_bundle`, then audit.export_completed)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accounts.models import Organisation
from audit.exports import build_export, create_command_line_export


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not an ISO 8601 time such as 2026-12-01T08:00:00+08:00.") from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = "Build a signed auditor bundle (zip) of one organisation's records, verifiable offline with its verify.py."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="the organisation's slug")
        parser.add_argument("--subject", default="", help="one ledger chain, e.g. render_job:<id>")
        parser.add_argument("--since", type=_moment, help="only events at or after this time (ISO 8601)")
        parser.add_argument("--until", type=_moment, help="only events before this time (ISO 8601)")
        parser.add_argument("--media", action="store_true", help="include the segment files")
        parser.add_argument("--out", required=True, type=Path, help="where to write the zip")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"There is no organisation {options['organisation']!r}.")
        if options["since"] and options["until"] and options["since"] >= options["until"]:
            raise CommandError("The time range is empty: --since must come before --until.")
        export = create_command_line_export(
            organisation=organisation,
            subject=options["subject"],
            since=options["since"],
            until=options["until"],
            include_media=options["media"],
        )
        export = build_export(export_id=export.pk, out=Path(options["out"]).resolve())
        if export.status != "done":
            raise CommandError(f"The bundle was not built: {export.error_message}")
        self.stdout.write(
            f"Bundle written to {export.file_name}: {export.event_count} events, {export.size} bytes, "
            f"sha256 {export.sha256}. Check it with `python verify.py` in the unpacked folder."
        )
