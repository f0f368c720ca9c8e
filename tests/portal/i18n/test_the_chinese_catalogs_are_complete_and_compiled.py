"""Every string the project marks for translation (templates, Python, JavaScript) has a Simplified Chinese
translation in the compiled catalogs, and the .po sources hold no untranslated or fuzzy entry.

When this fails after adding strings: `make messages`, translate the new entries in locale/zh_Hans/LC_MESSAGES/,
then `make catalogs` (docs/i18n.md)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.catalogs import LOCALE_DIR, stale_catalogs
from tests.portal.i18n.extract import compiled_catalog, javascript_msgids, python_msgids, template_msgids

FIX = "run `make messages`, translate the new entries in locale/zh_Hans/LC_MESSAGES/*.po, then `make catalogs`"


def test_the_catalogs_are_compiled_from_their_current_sources() -> None:
    assert shutil.which("msgfmt"), "msgfmt is missing: install Debian's gettext (scripts/ensure-system-deps)"
    assert stale_catalogs() == [], "a .mo is missing or older than its .po: run `make catalogs`"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_no_entry_of_the_chinese_catalogs_is_untranslated_or_fuzzy(domain: str) -> None:
    po = LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr, f"{result.stderr.strip()}: {FIX}"
    assert "fuzzy" not in result.stderr, f"{result.stderr.strip()}: {FIX}"


def test_every_string_marked_in_templates_and_python_has_a_chinese_translation() -> None:
    catalog = compiled_catalog("django")
    marked = {**python_msgids(), **template_msgids()}
    assert len(marked) > 300  # the extraction itself works (it finds the portal's strings)
    missing = {msgid: where for msgid, where in marked.items() if not catalog.get(msgid)}
    assert missing == {}, f"{len(missing)} marked strings have no zh-Hans translation: {FIX}"


def test_every_string_marked_in_javascript_has_a_chinese_translation() -> None:
    catalog = compiled_catalog("djangojs")
    marked = javascript_msgids()
    assert "Confirm with your passkey…" in marked
    missing = {msgid: where for msgid, where in marked.items() if not catalog.get(msgid)}
    assert missing == {}, f"{len(missing)} marked JavaScript strings have no zh-Hans translation: {FIX}"
