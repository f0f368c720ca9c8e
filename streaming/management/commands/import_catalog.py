"""`manage.py import_catalog --brand SLUG [--products FILE] [--faq FILE] [--dry-run]`: the portal's CSV import from
the shell, for agencies that manage many brands. All or nothing, like the page: with any row error nothing is stored
and the command exits 1 after listing the errors with their line numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Organisation
from common.api import DomainError
from streaming import services
from streaming.catalog import ImportPreview


class Command(BaseCommand):
    help = "Import a brand's products and FAQ from CSV files (UTF-8 or GB18030), all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--brand", required=True, help="The brand's slug.")
        parser.add_argument("--products", type=Path, help="sku,name,price,currency,category,selling_points")
        parser.add_argument("--faq", type=Path, help="sku,language,question,variants,answer")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; store nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        brand = Organisation.objects.filter(slug=options["brand"]).first()
        if brand is None:
            raise CommandError(f"No brand has the slug {options['brand']!r}.")
        if options["products"] is None and options["faq"] is None:
            raise CommandError("Give --products FILE, --faq FILE, or both.")
        files: dict[str, Any] = {}
        handles = []
        try:
            for name in ("products", "faq"):
                path: Path | None = options[name]
                if path is not None:
                    try:
                        handle = path.open("rb")
                    except OSError as error:
                        raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
                    handles.append(handle)
                    files[name] = handle
            try:
                if options["dry_run"]:
                    preview = services.preview_import(organisation=brand, **files)
                else:
                    preview = services.import_catalog(organisation=brand, actor="system", **files)
            except services.ImportRefusedError as refusal:
                self._report(refusal.preview)
                raise CommandError(str(refusal.detail)) from None
            except DomainError as refusal:
                raise CommandError(str(refusal.detail)) from None
        finally:
            for handle in handles:
                handle.close()
        self._report(preview)
        if not preview.ok:
            raise CommandError(f"{len(preview.errors)} row error(s); nothing would be imported.")
        verb = "Would import" if options["dry_run"] else "Imported"
        counts = preview.counts
        self.stdout.write(
            f"{verb} into {brand.slug}: products {counts['products']['new']} new, {counts['products']['changed']} "
            f"changed, {counts['products']['unchanged']} unchanged; FAQ {counts['faq']['new']} new, "
            f"{counts['faq']['changed']} changed, {counts['faq']['unchanged']} unchanged."
        )

    def _report(self, preview: ImportPreview) -> None:
        for row in preview.rows:
            if row.action == "unchanged":
                continue
            fields = ", ".join(f"{c.field}: {c.old!r} -> {c.new!r}" for c in row.changes)
            self.stdout.write(f"{row.file} line {row.line}: {row.action} {row.key} ({fields})")
        for error in preview.errors:
            self.stderr.write(f"{error.file} line {error.line}, {error.column}: {error.message}")
