"""Ledgering the linter's word lists: the first script version linted under a new `rules_version()` records it.

The lists are data that compliance staff change without code (docs/linter.md), so which version judged a script is
part of the evidence: every `script.version_saved` names its rules_version, and this module makes sure that version
itself is in the ledger (`linter.rules_changed`, subject `linter:rules`) with the files and their hashes, and the
version it replaced.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.db import IntegrityError, transaction

from audit.services import record_event
from streaming.linter import RuleSet, default_rules
from streaming.linter.loader import DATA_DIR
from streaming.models import LinterRuleVersion

SUBJECT = "linter:rules"


def _file_hashes(rules: RuleSet, directory: Path) -> dict[str, str]:
    return {name: hashlib.sha256((directory / name).read_bytes()).hexdigest() for name in rules.files}


def record_rules_version(*, rules: RuleSet | None = None, directory: Path = DATA_DIR) -> LinterRuleVersion:
    """The row of the lists' current version, created and ledgered on first use (call inside the saving
    transaction: the version row and the script version that used it commit together)."""
    rules = rules or default_rules()
    known = LinterRuleVersion.objects.filter(version=rules.version).first()
    if known is not None:
        return known
    previous = LinterRuleVersion.objects.order_by("-first_used_at", "-pk").first()
    files = _file_hashes(rules, directory)
    try:
        with transaction.atomic():
            row = LinterRuleVersion.objects.create(
                version=rules.version, files=files, entries=len(rules.findings) + len(rules.exemptions)
            )
            record_event(
                kind="linter.rules_changed",
                subject=SUBJECT,
                payload={
                    "version": rules.version,
                    "previous": previous.version if previous else None,
                    "files": files,
                    "entries": row.entries,
                },
                actor="system",
            )
    except IntegrityError:
        # Another transaction recorded the same version first: theirs is the ledgered one.
        return LinterRuleVersion.objects.get(version=rules.version)
    return row
