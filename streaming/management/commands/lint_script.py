"""`python manage.py lint_script FILE [--category CODE] [--price-check PRODUCT_ID]` for agencies and CI.

FILE is UTF-8 text, one script line per line ("-" reads standard input). Standard output carries one JSON object
per finding per line and nothing else. Exit status: 0 no blocking finding, 1 a blocking finding remains, 2 the
input or the options could not be used (the reason on standard error).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from streaming import linter
from streaming.linter.normalize import is_cjk
from streaming.selectors import get_catalog_price

EXIT_BLOCKING = 1
EXIT_UNUSABLE = 2


def read_lines(path: str) -> list[str]:
    """The file's lines (a BOM and CR line ends are dropped), or a CommandError with exit status 2."""
    try:
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}", returncode=EXIT_UNUSABLE) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CommandError(
            f"{path} is not UTF-8 (bad byte at line {line}, offset {exc.start}); save it as UTF-8",
            returncode=EXIT_UNUSABLE,
        ) from None
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()  # the final newline ends the last line; it does not start another
    return lines


def guess_language(lines: list[str]) -> str:
    return "zh" if any(is_cjk(ch) for line in lines for ch in line) else "en"


class Command(BaseCommand):
    help = "Lint a script file: one JSON finding per line on stdout; exit 1 if a blocking finding remains."
    requires_system_checks = []  # noqa: RUF012 (Django's own attribute) stdout must carry findings only

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="UTF-8 text, one script line per line ('-' for standard input)")
        parser.add_argument("--category", choices=linter.CATEGORY_CODES, help="the product's category code")
        parser.add_argument("--price-check", metavar="PRODUCT_ID", help="compare prices said with this product's")

    def handle(self, *args: Any, **options: Any) -> None:
        lines = read_lines(options["file"])
        price = None
        if options["price_check"]:
            try:
                price = get_catalog_price(options["price_check"])
            except ValueError as exc:
                raise CommandError(str(exc), returncode=EXIT_UNUSABLE) from None
            if price is None:
                raise CommandError(f"no product {options['price_check']!r} in the catalog", returncode=EXIT_UNUSABLE)
        try:
            findings = linter.lint_script(
                lines, language=guess_language(lines), category=options["category"], catalog_price=price
            )
        except linter.RuleFileError as exc:
            raise CommandError(f"the word lists are broken: {exc}", returncode=EXIT_UNUSABLE) from None
        for finding in findings:
            self.stdout.write(json.dumps(finding.as_dict(), ensure_ascii=False))
        self.stdout.flush()
        if any(f.blocking for f in findings):
            raise SystemExit(EXIT_BLOCKING)
