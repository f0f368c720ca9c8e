"""lint_line and lint_script: word lists, exemptions, prices, the disclosure and excluded categories.

Pure: no Django, no I/O beyond reading the word lists once. Fast enough to run on every live answer before TTS
(bench/bench_linter.py measures p99 per line).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from streaming.categories import CODES as CATEGORY_CODES
from streaming.categories import matches_exclusion
from streaming.linter.loader import Entry, RuleSet, default_rules
from streaming.linter.normalize import Normalised, normalise
from streaming.linter.prices import find_prices

LANGUAGES = ("zh", "en")
SEVERITY_ORDER = {"block": 0, "review": 1}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one exact span of one line: text[start:end] == matched (Python str indices)."""

    rule: str  # a rule id of rules.md (CN-AD-ABSOLUTE, CN-AD-ABSOLUTE-EXEMPT, ...)
    family: str  # absolute, exemption, medical, health_food, state, urgency, price_mismatch, real_person, ...
    entry: str  # the word-list entry, "<family>.<id>"
    severity: str  # "block" or "review"
    start: int
    end: int
    matched: str
    message_en: str
    message_zh: str
    source: str  # the legal source of the entry
    line: int | None = None  # 1-based line number (lint_script)
    exemption: str | None = None  # the SAMR 2023 exemption that may apply (family "exemption")

    @property
    def blocking(self) -> bool:
        return self.severity == "block"

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "line": self.line,
            "span": [self.start, self.end],
            "matched": self.matched,
            "message": {"en": self.message_en, "zh": self.message_zh},
            "family": self.family,
            "entry": self.entry,
            "source": self.source,
            "exemption": self.exemption,
        }


@dataclass(frozen=True)
class LintContext:
    """What the linter may know besides the text: the brand's product names and registered trademarks (a
    superlative inside one is the SAMR 2023 "product name / trademark" exemption, still a review finding)."""

    product_names: Sequence[str] = ()
    trademarks: Sequence[str] = ()


@dataclass(frozen=True)
class ProductRef:
    """A catalog product a script line speaks about."""

    id: str
    name: str
    category: str
    price: Decimal | None = None


@dataclass(frozen=True)
class ScriptLine:
    text: str
    language: str | None = None
    product_ids: Sequence[str] = field(default=())


def _language(language: str) -> str:
    lang = language.lower().split("-")[0].split("_")[0]
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)} (or a regional form), not {language!r}")
    return lang


def _category(category: str | None) -> str | None:
    if category is not None and category not in CATEGORY_CODES:
        raise ValueError(f"unknown category {category!r} (known: {', '.join(CATEGORY_CODES)})")
    return category


def _finding(norm: Normalised, start: int, end: int, entry: Entry, line: int | None, **values: str) -> Finding:
    s, e = norm.span(start, end)
    matched = norm.original[s:e]
    en, zh = entry.message.render(matched=matched, **values)
    return Finding(entry.rule, entry.family, f"{entry.family}.{entry.id}", entry.severity, s, e, matched, en, zh,
                   entry.source, line)  # fmt: skip


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """Within one family, a finding inside another's span is the same problem said twice ("全网最低价" is one
    claim, not three): keep the more severe, then the longer."""
    ranked = sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], -(f.end - f.start), f.start))
    kept: list[Finding] = []
    for f in ranked:
        if any(k.family == f.family and k.start <= f.start and f.end <= k.end for k in kept):
            continue
        if any(k.family == f.family and f.start < k.end and k.start < f.end for k in kept):
            continue
        kept.append(f)
    return sorted(kept, key=lambda f: (f.start, f.end, f.rule))


def _exempt(norm: Normalised, findings: list[Finding], rules: RuleSet, context: LintContext | None) -> list[Finding]:
    """Findings of the covered families inside an exemption's match become review findings naming it."""
    regions: list[tuple[int, int, Entry]] = []
    for entry in rules.exemptions:
        if entry.context == "names":
            names = [*(context.product_names if context else ()), *(context.trademarks if context else ())]
            for name in names:
                target = normalise(name).text
                if not target:
                    continue
                at = norm.text.find(target)
                while at >= 0:
                    regions.append((*norm.span(at, at + len(target)), entry))
                    at = norm.text.find(target, at + 1)
        elif entry.regex is not None:
            regions += [(*norm.span(m.start(), m.end()), entry) for m in entry.regex.finditer(norm.text)]
    if not regions:
        return findings
    out: list[Finding] = []
    for f in findings:
        region = next(
            (e for s, end, e in regions if f.family in rules.exemption_covers and s <= f.start and f.end <= end), None
        )
        if region is None or region.name is None:
            out.append(f)
            continue
        en, zh = region.message.render(matched=f.matched, exemption=region.name.en, exemption_zh=region.name.zh)
        out.append(
            Finding(
                region.rule,
                "exemption",
                f"exemption.{region.id}",
                "review",
                f.start,
                f.end,
                f.matched,
                en,
                zh,
                f"{region.source}; otherwise {f.rule}: {f.source}",
                f.line,
                region.name.en,
            )
        )
    return out


def lint_line(
    text: str,
    *,
    language: str,
    category: str | None = None,
    catalog_price: Decimal | None = None,
    context: LintContext | None = None,
    line: int | None = None,
    rules: RuleSet | None = None,
) -> list[Finding]:
    """Every finding of one line, ordered by position. `category` is the product's category code (None: unknown,
    every rule applies); `catalog_price` (CNY) turns on the price comparison."""
    _language(language)
    category = _category(category)
    rules = rules or default_rules()
    norm = normalise(text)
    findings: list[Finding] = []
    for entry in rules.findings:
        if entry.regex is None or not entry.applies_to(category):
            continue
        findings += [_finding(norm, m.start(), m.end(), entry, line) for m in entry.regex.finditer(norm.text)]
    findings = _exempt(norm, findings, rules, context)
    if catalog_price is not None:
        findings += _price_findings(norm, catalog_price, rules, line)
    return _dedupe(findings)


def _money(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01')):f}".removesuffix(".00")


def _price_findings(norm: Normalised, catalog_price: Decimal, rules: RuleSet, line: int | None) -> list[Finding]:
    price = rules.price
    out = []
    for mention in find_prices(norm.text, price):
        if mention.reference or mention.discount:
            continue
        if mention.amount.quantize(Decimal("0.01")) == catalog_price.quantize(Decimal("0.01")):
            continue
        s, e = norm.span(mention.start, mention.end)
        matched = norm.original[s:e]
        en, zh = price.message.render(matched=matched, said=_money(mention.amount), catalog=_money(catalog_price))
        out.append(
            Finding(
                price.rule,
                "price_mismatch",
                "price_mismatch.catalog",
                price.severity,
                s,
                e,
                matched,
                en,
                zh,
                price.source,
                line,
            )
        )
    return out


def is_disclosure(text: str, *, rules: RuleSet | None = None) -> bool:
    """Whether a line is an AI disclosure: it says AI made this, and does not also claim a real person."""
    rules = rules or default_rules()
    norm = normalise(text).text
    if not any(regex.search(norm) for regex in rules.disclosure_acceptors):
        return False
    real = [e for e in rules.findings if e.family == "real_person" and e.regex is not None]
    return not any(e.regex.search(norm) for e in real if e.regex is not None)


def lint_script(
    lines: Sequence[str | ScriptLine],
    *,
    language: str,
    category: str | None = None,
    catalog_price: Decimal | None = None,
    context: LintContext | None = None,
    products: Mapping[str, ProductRef] | None = None,
    excluded_categories: Sequence[str] = (),
    rules: RuleSet | None = None,
) -> list[Finding]:
    """Every finding of a script: each line's, then the script-level ones (the first non-blank line must be the AI
    disclosure; no product of a category the influencer's consent excludes). Line numbers are 1-based positions in
    `lines`; a line's own product price, when it references one product, overrides `catalog_price`."""
    rules = rules or default_rules()
    products = products or {}
    category = _category(category)
    items = [item if isinstance(item, ScriptLine) else ScriptLine(item) for item in lines]
    findings: list[Finding] = []
    for number, item in enumerate(items, start=1):
        refs = [products[p] for p in item.product_ids if p in products]
        line_category = refs[0].category if len(refs) == 1 else category
        price = refs[0].price if len(refs) == 1 and refs[0].price is not None else catalog_price
        findings += lint_line(
            item.text,
            language=item.language or language,
            category=line_category,
            catalog_price=price,
            context=context,
            line=number,
            rules=rules,
        )
        for ref in refs:
            if any(matches_exclusion(ref.category, excluded) for excluded in excluded_categories):
                findings.append(_excluded(item.text, number, ref.name, ref.category, rules))
    script_excluded = category and any(matches_exclusion(category, excluded) for excluded in excluded_categories)
    if script_excluded and not any(f.family == "excluded_category" for f in findings):
        first_text = next((n for n, item in enumerate(items, start=1) if item.text.strip()), 1)
        findings.append(_excluded(items[first_text - 1].text if items else "", first_text, "", str(category), rules))
    first = next(((n, item) for n, item in enumerate(items, start=1) if item.text.strip()), None)
    if first is None or not is_disclosure(first[1].text, rules=rules):
        text = first[1].text if first else ""
        rule = rules.disclosure_rule
        en, zh = rule.message.render(matched=text)
        findings.append(
            Finding(
                rule.rule,
                "disclosure",
                "disclosure.first_line",
                rule.severity,
                0,
                len(text),
                text,
                en,
                zh,
                rule.source,
                first[0] if first else 1,
            )
        )
    findings += _notices(items, category, first[0] if first else 1, rules)
    return sorted(findings, key=lambda f: (f.line or 0, f.start, f.end, f.rule))


def _notices(items: list[ScriptLine], category: str | None, first: int, rules: RuleSet) -> list[Finding]:
    """Required sentences missing from the script (only when its category is known to need them); the finding
    sits at the start of the first line, with an empty span: it is about something absent."""
    if category is None:
        return []
    texts = [normalise(item.text).text for item in items]
    out = []
    for notice in rules.notices:
        if category not in notice.only_for or any(r.search(t) for r in notice.acceptors for t in texts):
            continue
        rule = notice.rule
        en, zh = rule.message.render(matched="")
        out.append(
            Finding(rule.rule, notice.family, f"{notice.family}.missing", rule.severity, 0, 0, "", en, zh,
                    rule.source, first)
        )  # fmt: skip
    return out


def _excluded(text: str, line: int, name: str, category: str, rules: RuleSet) -> Finding:
    """The product's name in the line if it is said, else the whole line."""
    at = text.find(name) if name else -1
    start, end = (at, at + len(name)) if at >= 0 else (0, len(text))
    rule = rules.excluded_category
    en, zh = rule.message.render(matched=text[start:end], category=category)
    return Finding(rule.rule, "excluded_category", "excluded_category.consent", rule.severity, start, end,
                   text[start:end], en, zh, rule.source, line)  # fmt: skip
