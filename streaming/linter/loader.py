"""Loads and validates the word lists in streaming/linter/data/*.yaml (docs/linter.md describes the format).

Compliance staff edit those files; a mistake must fail loudly with the file and the entry named, never be skipped:
`RuleFileError("absolute.yaml: entry 3 (zuijia): unknown key 'serverity'")`. `rules_version()` is the SHA-256 of
the canonical JSON (RFC 8785) of every file's parsed content, so comments and layout do not change it and any change
of a word, pattern, severity or source does.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rfc8785
import yaml

from streaming.categories import CODES as CATEGORY_CODES
from streaming.linter.normalize import normalise_term

DATA_DIR = Path(__file__).resolve().parent / "data"
SEVERITIES = ("block", "review")
FINDING_FAMILIES = ("absolute", "medical", "health_food", "state", "urgency", "real_person", "endorsement")
KINDS = ("findings", "exemptions", "disclosure", "price", "excluded_category", "notice")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_ASCII_WORD = re.compile(r"[a-z0-9]")


class RuleFileError(ValueError):
    """A word-list file that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Message:
    en: str
    zh: str

    def render(self, **values: str) -> tuple[str, str]:
        en, zh = self.en, self.zh
        for key, value in values.items():
            en = en.replace("{" + key + "}", value)
            zh = zh.replace("{" + key + "}", value)
        return en, zh


@dataclass(frozen=True, slots=True)
class Entry:
    family: str
    id: str
    rule: str
    severity: str
    source: str
    regex: re.Pattern[str] | None
    message: Message
    only_for: frozenset[str] = frozenset()
    not_for: frozenset[str] = frozenset()
    name: Message | None = None  # exemptions: the exemption's name
    context: str | None = None  # exemptions matched against LintContext names instead of a pattern

    def applies_to(self, category: str | None) -> bool:
        # An unknown category gets every rule: the command-line pre-screen errs on the side of a finding.
        if category is None:
            return True
        if self.only_for and category not in self.only_for:
            return False
        return category not in self.not_for


@dataclass(frozen=True, slots=True)
class PriceRules:
    rule: str
    severity: str
    source: str
    message: Message
    reference: re.Pattern[str]
    discount_before: re.Pattern[str]
    discount_after: re.Pattern[str]
    price_words: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class ScriptRule:
    rule: str
    severity: str
    source: str
    message: Message


@dataclass(frozen=True, slots=True)
class Notice:
    """A sentence a script of some categories must contain somewhere (the health-food "cannot replace medicine")."""

    family: str
    rule: ScriptRule
    only_for: frozenset[str]
    acceptors: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class RuleSet:
    findings: tuple[Entry, ...]
    exemptions: tuple[Entry, ...]
    exemption_covers: frozenset[str]
    disclosure_rule: ScriptRule
    disclosure_acceptors: tuple[re.Pattern[str], ...]
    excluded_category: ScriptRule
    price: PriceRules
    notices: tuple[Notice, ...]
    version: str
    files: tuple[str, ...] = field(default=())


def _literal_regex(term: str) -> str:
    """A literal term as a regex over normalised text: spaces match any spacing, and a term that begins or ends
    with a Latin letter or digit matches only as a whole word ("best" not in "bestow")."""
    norm = normalise_term(term)
    body = r"[\s\-]*".join(re.escape(part) for part in norm.split())
    if _ASCII_WORD.match(norm[:1]):
        body = r"(?<![a-z0-9])" + body
    if _ASCII_WORD.match(norm[-1:]):
        body = body + r"(?![a-z0-9])"
    return body


class _Where:
    def __init__(self, file: str, index: int | None = None, entry_id: str | None = None) -> None:
        self.file, self.index, self.entry_id = file, index, entry_id

    def error(self, problem: str) -> RuleFileError:
        if self.index is None:
            return RuleFileError(f"{self.file}: {problem}")
        name = f" ({self.entry_id})" if self.entry_id else ""
        return RuleFileError(f"{self.file}: entry {self.index + 1}{name}: {problem}")


def _string(where: _Where, data: dict[str, Any], key: str, *, required: bool = True) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise where.error(f"'{key}' must be a non-empty string")
    return value.strip()


def _message(where: _Where, data: dict[str, Any], key: str, default: Message | None = None) -> Message:
    value = data.get(key)
    if value is None and default is not None:
        return default
    if not isinstance(value, dict) or set(value) != {"en", "zh"}:
        raise where.error(f"'{key}' must have exactly the keys 'en' and 'zh'")
    return Message(_string(where, value, "en"), _string(where, value, "zh"))


def _severity(where: _Where, value: Any) -> str:
    if value not in SEVERITIES:
        raise where.error(f"severity must be one of {', '.join(SEVERITIES)}, not {value!r}")
    return str(value)


def _categories(where: _Where, data: dict[str, Any], key: str) -> frozenset[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        raise where.error(f"'{key}' must be a list of category codes")
    unknown = sorted(set(value) - set(CATEGORY_CODES))
    if unknown:
        raise where.error(f"'{key}' names unknown categories {unknown} (known: {', '.join(CATEGORY_CODES)})")
    return frozenset(value)


def _regex(where: _Where, data: dict[str, Any]) -> re.Pattern[str]:
    given = [k for k in ("term", "terms", "pattern") if k in data]
    if len(given) != 1:
        raise where.error("needs exactly one of 'term', 'terms' or 'pattern'")
    if "pattern" in data:
        source = _string(where, data, "pattern")
    else:
        terms = data.get("terms") if "terms" in data else [data.get("term")]
        if not isinstance(terms, list) or not terms or not all(isinstance(t, str) and t.strip() for t in terms):
            raise where.error("'term' must be a non-empty string and 'terms' a list of them")
        source = "|".join(_literal_regex(t) for t in sorted(terms, key=len, reverse=True))
    try:
        compiled = re.compile(source, re.IGNORECASE)
    except re.error as exc:
        raise where.error(f"the pattern does not compile: {exc}") from exc
    if compiled.search("") is not None:
        raise where.error("the pattern matches the empty string")
    return compiled


def _check_examples(where: _Where, data: dict[str, Any], regex: re.Pattern[str]) -> None:
    for key, should in (("examples", True), ("counterexamples", False)):
        examples = data.get(key, [])
        if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
            raise where.error(f"'{key}' must be a list of strings")
        for example in examples:
            if (regex.search(normalise_term(example)) is not None) != should:
                verb = "does not match" if should else "matches"
                raise where.error(f"the pattern {verb} its {key[:-1]} {example!r}")


def _keys(where: _Where, data: Any, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise where.error("must be a mapping")
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise where.error(f"unknown key {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})")
    return data


ENTRY_KEYS = {"id", "term", "terms", "pattern", "severity", "rule", "source", "message", "only_for", "not_for"}
ENTRY_KEYS |= {"examples", "counterexamples", "note"}


def _entries(where: _Where, data: dict[str, Any]) -> list[Any]:
    entries = data.get("entries")
    if not isinstance(entries, list) or not entries:
        raise where.error("'entries' must be a non-empty list")
    return entries


def _finding_entries(file: str, data: dict[str, Any], family: str) -> list[Entry]:
    where = _Where(file)
    rule = _string(where, data, "rule")
    severity = _severity(where, data.get("severity"))
    message = _message(where, data, "message")
    out: list[Entry] = []
    seen: set[str] = set()
    for index, raw in enumerate(_entries(where, data)):
        entry_id = raw.get("id") if isinstance(raw, dict) else None
        at = _Where(file, index, entry_id if isinstance(entry_id, str) else None)
        raw = _keys(at, raw, ENTRY_KEYS)
        if not isinstance(entry_id, str) or not _ID.match(entry_id):
            raise at.error("'id' must be lower-case letters, digits, '-' or '_'")
        if entry_id in seen:
            raise at.error(f"duplicate id {entry_id!r}")
        seen.add(entry_id)
        regex = _regex(at, raw)
        _check_examples(at, raw, regex)
        out.append(
            Entry(
                family=family,
                id=entry_id,
                rule=_string(at, raw, "rule") if "rule" in raw else rule,
                severity=_severity(at, raw.get("severity", severity)),
                source=_string(at, raw, "source"),
                regex=regex,
                message=_message(at, raw, "message", message),
                only_for=_categories(at, raw, "only_for"),
                not_for=_categories(at, raw, "not_for"),
            )
        )
    return out


def _exemption_entries(file: str, data: dict[str, Any]) -> tuple[list[Entry], frozenset[str]]:
    where = _Where(file)
    rule = _string(where, data, "rule")
    message = _message(where, data, "message")
    covers = data.get("covers")
    if not isinstance(covers, list) or not covers or not set(covers) <= set(FINDING_FAMILIES):
        raise where.error(f"'covers' must list finding families ({', '.join(FINDING_FAMILIES)})")
    out: list[Entry] = []
    seen: set[str] = set()
    allowed = {"id", "name", "pattern", "context", "source", "examples", "counterexamples", "note"}
    for index, raw in enumerate(_entries(where, data)):
        entry_id = raw.get("id") if isinstance(raw, dict) else None
        at = _Where(file, index, entry_id if isinstance(entry_id, str) else None)
        raw = _keys(at, raw, allowed)
        if not isinstance(entry_id, str) or not _ID.match(entry_id) or entry_id in seen:
            raise at.error("'id' must be unique, lower-case letters, digits, '-' or '_'")
        seen.add(entry_id)
        regex: re.Pattern[str] | None = None
        context = None
        if "context" in raw:
            context = raw["context"]
            if context != "names" or "pattern" in raw:
                raise at.error("'context' must be 'names' (product names and trademarks), without a 'pattern'")
        else:
            regex = _regex(at, raw)
            _check_examples(at, raw, regex)
        out.append(
            Entry(
                family="exemption",
                id=entry_id,
                rule=rule,
                severity="review",
                source=_string(at, raw, "source"),
                regex=regex,
                message=message,
                name=_message(at, raw, "name"),
                context=context,
            )
        )
    return out, frozenset(covers)


def _script_rule(file: str, data: dict[str, Any]) -> ScriptRule:
    where = _Where(file)
    return ScriptRule(
        rule=_string(where, data, "rule"),
        severity=_severity(where, data.get("severity")),
        source=_string(where, data, "source"),
        message=_message(where, data, "message"),
    )


def _acceptors(file: str, data: dict[str, Any]) -> list[re.Pattern[str]]:
    """Entries that are accepted ways of saying something (no legal source of their own: the file has it)."""
    acceptors = []
    for index, raw in enumerate(_entries(_Where(file), data)):
        at = _Where(file, index, raw.get("id") if isinstance(raw, dict) else None)
        raw = _keys(at, raw, {"id", "term", "terms", "pattern", "examples", "counterexamples", "note"})
        regex = _regex(at, raw)
        _check_examples(at, raw, regex)
        acceptors.append(regex)
    return acceptors


def _markers(where: _Where, data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise where.error(f"'{key}' must be a non-empty list of words")
    return [normalise_term(v) for v in value]


def _price_rules(file: str, data: dict[str, Any]) -> PriceRules:
    where = _Where(file)
    base = _script_rule(file, data)

    def alternation(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    reference = alternation(_markers(where, data, "reference_markers"))
    before = alternation(_markers(where, data, "discount_before"))
    after = alternation(_markers(where, data, "discount_after"))
    words = alternation(_markers(where, data, "price_words"))
    return PriceRules(
        rule=base.rule,
        severity=base.severity,
        source=base.source,
        message=base.message,
        reference=re.compile(rf"(?:{reference})[^，,。.!！?？;；]{{0,6}}$"),
        discount_before=re.compile(rf"(?:{before})\s*$"),
        discount_after=re.compile(rf"^\s*(?:{after})"),
        price_words=re.compile(rf"(?:{words})\s*(?:是|为|is|:|：)?\s*$"),
    )


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML that refuses a key given twice in one mapping (PyYAML would silently keep the last)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    keys: set[Any] = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in keys:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        keys.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506 (safe loader)
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(f"{path.name}: cannot be read as UTF-8: {exc}") from exc
    except yaml.YAMLError as exc:
        raise RuleFileError(f"{path.name}: is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise RuleFileError(f"{path.name}: must be a mapping with 'kind', 'family' and its entries")
    return data


def load_rules(directory: Path | None = None) -> RuleSet:
    """Read and validate every *.yaml word list of `directory` (default: the shipped data)."""
    directory = directory or DATA_DIR
    paths = sorted(directory.glob("*.yaml"))
    contents: dict[str, Any] = {}
    findings: list[Entry] = []
    exemptions: list[Entry] = []
    covers: frozenset[str] = frozenset()
    disclosure: ScriptRule | None = None
    acceptors: list[re.Pattern[str]] = []
    excluded: ScriptRule | None = None
    price: PriceRules | None = None
    notices: list[Notice] = []
    families: set[str] = set()
    for path in paths:
        data = _read(path)
        contents[path.name] = data
        where = _Where(path.name)
        kind = data.get("kind")
        if kind not in KINDS:
            raise where.error(f"'kind' must be one of {', '.join(KINDS)}, not {kind!r}")
        common = {"kind", "family", "rule", "severity", "source", "message", "entries", "note"}
        extra = {
            "findings": set(),
            "exemptions": {"covers"},
            "disclosure": set(),
            "price": {"reference_markers", "discount_before", "discount_after", "price_words"},
            "excluded_category": set(),
            "notice": {"only_for"},
        }[kind]
        _keys(where, data, common | extra)
        family = _string(where, data, "family")
        if family in families:
            raise where.error(f"family {family!r} is defined by another file too")
        families.add(family)
        if kind == "findings":
            if family not in FINDING_FAMILIES:
                raise where.error(f"unknown family {family!r} (known: {', '.join(FINDING_FAMILIES)})")
            findings += _finding_entries(path.name, data, family)
        elif kind == "exemptions":
            exemptions, covers = _exemption_entries(path.name, data)
        elif kind == "disclosure":
            disclosure = _script_rule(path.name, data)
            acceptors = _acceptors(path.name, data)
        elif kind == "notice":
            only_for = _categories(where, data, "only_for")
            if not only_for:
                raise where.error("'only_for' must name the categories whose scripts need the notice")
            notices.append(Notice(family, _script_rule(path.name, data), only_for, tuple(_acceptors(path.name, data))))
        elif kind == "price":
            price = _price_rules(path.name, data)
        else:
            excluded = _script_rule(path.name, data)
    missing = [k for k, v in (("disclosure", disclosure), ("price", price), ("excluded_category", excluded)) if not v]
    if missing:
        raise RuleFileError(f"{directory}: no file of kind {', '.join(missing)}")
    assert disclosure is not None and price is not None and excluded is not None  # noqa: PT018 (narrowing)
    version = hashlib.sha256(rfc8785.dumps(contents)).hexdigest()
    return RuleSet(
        findings=tuple(findings),
        exemptions=tuple(exemptions),
        exemption_covers=covers,
        disclosure_rule=disclosure,
        disclosure_acceptors=tuple(acceptors),
        excluded_category=excluded,
        price=price,
        notices=tuple(notices),
        version=version,
        files=tuple(contents),
    )


@functools.cache
def default_rules() -> RuleSet:
    return load_rules()


def rules_version() -> str:
    """SHA-256 (hex) of the canonical JSON of the loaded word lists: what a ledger event about a list change names."""
    return default_rules().version
