"""The message catalogs for the test run: `make catalogs` compiles them, and a bare `pytest` compiles any catalog
whose .mo is missing or older than its .po (msgfmt, Debian's gettext), so a fresh clone tests the real translations.

The .mo files are build outputs (gitignored); the .po files under locale/ are the source.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"


def stale_catalogs() -> list[Path]:
    """The .po files whose .mo is missing or older."""
    stale = []
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            stale.append(po)
    return stale


def compile_stale_catalogs() -> str | None:
    """Compile what is stale; None when done, else why not (the i18n tests then fail and say so)."""
    stale = stale_catalogs()
    if not stale:
        return None
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return "msgfmt is missing: install Debian's gettext (scripts/ensure-system-deps) and run `make catalogs`"
    for po in stale:
        # --check: a broken placeholder or plural form fails here, not as a wrong page later.
        result = subprocess.run(
            [msgfmt, "--check", "-o", str(po.with_suffix(".mo")), str(po)], capture_output=True, text=True
        )
        if result.returncode != 0:
            return f"msgfmt refused {po}: {result.stderr.strip()}"
    return None
