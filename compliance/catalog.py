"""The rule catalog (rules/catalog.yaml) as typed, validated data (parse_catalog needs no Django)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

CATALOG_FILE = Path(__file__).with_name("rules") / "catalog.yaml"
STATUSES = ("V", "S", "U")
SCOPES = ("stream", "organisation")
_REQUIRED = ("id", "status", "instrument", "article", "effective", "requirement_en", "requirement_zh", "scope")


class CatalogError(ValueError):
    """The catalog file is malformed; the message names the rule and the field."""


@dataclass(frozen=True)
class Rule:
    id: str
    status: str  # rules.md's verification mark: V, S or U
    instrument: str
    article: str
    effective: str
    requirement_en: str
    requirement_zh: str
    numbers: str
    scope: str  # "stream" (one render job) or "organisation"
    check: str | None  # a function name in compliance.checks; None: not checkable by software
    evidence: str
    reason_en: str  # why it is not checkable (check is None)
    reason_zh: str

    @property
    def source(self) -> str:
        return f"{self.instrument} · {self.article} · {self.effective}"

    def requirement(self, language: str) -> str:
        return self.requirement_zh if language.startswith("zh") else self.requirement_en

    def reason(self, language: str) -> str:
        return self.reason_zh if language.startswith("zh") else self.reason_en


def _rule(entry: Any, known_checks: frozenset[str] | None) -> Rule:
    if not isinstance(entry, dict):
        raise CatalogError("Every rule is a mapping.")
    rule_id = str(entry.get("id", "?"))
    for name in _REQUIRED:
        if not isinstance(entry.get(name), str) or not entry[name].strip():
            raise CatalogError(f"{rule_id}: {name} is missing or empty.")
    if entry["status"] not in STATUSES:
        raise CatalogError(f"{rule_id}: status must be one of {', '.join(STATUSES)}.")
    if entry["scope"] not in SCOPES:
        raise CatalogError(f"{rule_id}: scope must be one of {', '.join(SCOPES)}.")
    check = entry.get("check")
    if check is None:
        if not str(entry.get("reason", "")).strip() or not str(entry.get("reason_zh", "")).strip():
            raise CatalogError(f"{rule_id}: a rule without a check needs a reason (reason and reason_zh).")
    elif known_checks is not None and check not in known_checks:
        raise CatalogError(f"{rule_id}: unknown check {check!r}.")
    return Rule(
        id=rule_id,
        status=entry["status"],
        instrument=entry["instrument"],
        article=entry["article"],
        effective=entry["effective"],
        requirement_en=entry["requirement_en"].strip(),
        requirement_zh=entry["requirement_zh"].strip(),
        numbers=str(entry.get("numbers", "")),
        scope=entry["scope"],
        check=check,
        evidence=str(entry.get("evidence", "")),
        reason_en=str(entry.get("reason", "")),
        reason_zh=str(entry.get("reason_zh", "")),
    )


def parse_catalog(text: str, *, known_checks: frozenset[str] | None = None) -> tuple[Rule, ...]:
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise CatalogError("The catalog is a mapping with a list of rules.")
    rules = tuple(_rule(entry, known_checks) for entry in data["rules"])
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise CatalogError(f"{rule.id} appears twice.")
        seen.add(rule.id)
    return rules


@cache
def load_catalog() -> tuple[Rule, ...]:
    from compliance.checks import CHECKS

    return parse_catalog(CATALOG_FILE.read_text(encoding="utf-8"), known_checks=frozenset(CHECKS))


@cache
def catalog_version() -> str:
    """SHA-256 of the catalog file (first 16 hex digits): reports name the rules they were checked against."""
    return hashlib.sha256(CATALOG_FILE.read_bytes()).hexdigest()[:16]
