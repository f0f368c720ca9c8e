"""The usage CSV (invoicing and revenue share): one row per grant, brand and local day. UTF-8 with a BOM (so
Excel, common at Chinese finance desks, reads the brand and stage names), RFC 4180 quoting, and every text cell
that a spreadsheet would read as a formula (=, +, -, @, tab, carriage return) prefixed with an apostrophe (OWASP
CSV injection): brand and stage names are chosen by people outside the platform."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from streaming.usage_selectors import UsageRow

HEADER = (
    "day",
    "grant",
    "influencer",
    "brand_id",
    "brand",
    "live_minutes",
    "live_seconds",
    "segments",
    "scripts",
    "hours_per_day",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """A text cell a spreadsheet shows as text, never runs."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def usage_csv(rows: Iterable[UsageRow]) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow(
            (
                row.day.isoformat(),
                row.grant_id,
                safe_cell(row.influencer),
                row.brand_id,
                safe_cell(row.brand),
                f"{row.minutes}",
                f"{row.milliseconds / 1000:.3f}",
                row.segments,
                row.scripts,
                "" if row.hours_per_day is None else row.hours_per_day,
            )
        )
    return out.getvalue()


def file_name(scope: str, start: str, end: str) -> str:
    """`scope` is a slug or public id: no quote or path character can reach the header."""
    cleaned = "".join(c for c in scope if c.isalnum() or c in "-_")[:60] or "usage"
    return f"veracast-usage-{cleaned}-{start}-{end}.csv"
