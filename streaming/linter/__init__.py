"""The advertising-law linter for script lines and live answers (docs/linter.md).

A pure library: word lists in data/*.yaml with a legal source per entry, validated on load; `lint_line` and
`lint_script` return `Finding`s with a rules.md rule id, a severity (block / review), the exact span and a bilingual
message. No Django here (the catalog's prices reach it as plain values).
"""

from __future__ import annotations

from streaming.categories import CODES as CATEGORY_CODES
from streaming.linter.engine import (
    Finding,
    LintContext,
    ProductRef,
    ScriptLine,
    is_disclosure,
    lint_line,
    lint_script,
)
from streaming.linter.loader import RuleFileError, RuleSet, default_rules, load_rules, rules_version

__all__ = [
    "CATEGORY_CODES",
    "Finding",
    "LintContext",
    "ProductRef",
    "RuleFileError",
    "RuleSet",
    "ScriptLine",
    "default_rules",
    "is_disclosure",
    "lint_line",
    "lint_script",
    "load_rules",
    "rules_version",
]
