"""Precision and recall of the linter on a labelled set (tests/streaming/data/linter_labelled.tsv).

Each row: expected families (comma-separated, "-" for none), category ("-" for unknown), language, sentence.
A family counts as found in a sentence when any finding of the sentence has that family. Sentences are linted with
a catalog price of ¥129, so price_mismatch rows say other prices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from streaming.linter.engine import lint_line
from streaming.linter.loader import RuleSet

# Every sentence is linted as if its product cost this (the price_mismatch rows are written against it).
CATALOG_PRICE = Decimal("129")
LABELLED_SET = Path(__file__).resolve().parents[2] / "tests" / "streaming" / "data" / "linter_labelled.tsv"


@dataclass(frozen=True)
class Sample:
    families: frozenset[str]
    category: str | None
    language: str
    text: str


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def read_samples(path: Path = LABELLED_SET) -> list[Sample]:
    samples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 4:
            raise ValueError(f"{path.name}:{number}: expected 4 tab-separated fields")
        families, category, language, text = parts
        samples.append(
            Sample(
                frozenset() if families == "-" else frozenset(families.split(",")),
                None if category == "-" else category,
                language,
                text,
            )
        )
    return samples


def evaluate(samples: list[Sample], rules: RuleSet | None = None, price: Decimal = CATALOG_PRICE) -> dict[str, Score]:
    """Per-family scores, plus "overall" (micro-averaged over families)."""
    scores: dict[str, Score] = {}
    overall = Score()
    for sample in samples:
        findings = lint_line(
            sample.text, language=sample.language, category=sample.category, catalog_price=price, rules=rules
        )
        found = {f.family for f in findings}
        for family in found | sample.families:
            score = scores.setdefault(family, Score())
            if family in found and family in sample.families:
                score.tp += 1
                overall.tp += 1
            elif family in found:
                score.fp += 1
                overall.fp += 1
                score.false_alarms.append(sample.text)
            else:
                score.fn += 1
                overall.fn += 1
                score.misses.append(sample.text)
    scores["overall"] = overall
    return scores
