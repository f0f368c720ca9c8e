"""Findings laid over a line's text for the editor: the text split at every finding's span boundary, so each piece is
either plain or covered by one or more findings (and then shown as a <mark> of the worst severity among them).

The spans are Python str indices (the linter guarantees text[start:end] == matched), so the split is exact for any
script, Chinese included. Pure functions of plain values: the template escapes the pieces.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

SEVERITY_RANK = {"block": 0, "review": 1}


@dataclass(frozen=True)
class Piece:
    """A run of a line's text and the findings that cover all of it (empty: plain text)."""

    text: str
    findings: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)

    @property
    def severity(self) -> str:
        """The worst severity of the covering findings ("block" wins over "review"); "" when plain."""
        if not self.findings:
            return ""
        return min((str(f.get("severity", "review")) for f in self.findings), key=lambda s: SEVERITY_RANK.get(s, 9))

    @property
    def keys(self) -> str:
        """Space-separated element ids of the covering findings, for aria-describedby."""
        return " ".join(finding_anchor(f) for f in self.findings)

    @property
    def title(self) -> str:
        return " · ".join(f"{f.get('rule', '')}: {message_of(f, 'en')}" for f in self.findings)


def finding_anchor(finding: Mapping[str, Any]) -> str:
    """The element id of a finding's entry in the list under its line."""
    key = str(finding.get("key") or f"{finding.get('line')}-{finding.get('rule')}-{span_of(finding)[0]}")
    return "finding-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in key)


def message_of(finding: Mapping[str, Any], language: str) -> str:
    message = finding.get("message") or {}
    if isinstance(message, Mapping):
        return str(message.get(language) or message.get("en") or "")
    return str(message)


def span_of(finding: Mapping[str, Any]) -> tuple[int, int]:
    span = finding.get("span") or (0, 0)
    try:
        start, end = int(span[0]), int(span[1])
    except (TypeError, ValueError, IndexError):
        return (0, 0)
    return (start, end)


def split_at_findings(text: str, findings: Sequence[Mapping[str, Any]]) -> list[Piece]:
    """`text` cut at every boundary of the findings' spans (clamped to the text), each piece with its findings.
    Findings with an empty span (a missing disclosure, say) mark nothing; they are listed, not highlighted."""
    spans = []
    for finding in findings:
        start, end = span_of(finding)
        start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
        if end > start:
            spans.append((start, end, finding))
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    pieces: list[Piece] = []
    for left, right in itertools.pairwise(cuts):
        covering = tuple(f for s, e, f in spans if s <= left and right <= e)
        if pieces and not covering and not pieces[-1].findings:
            pieces[-1] = Piece(pieces[-1].text + text[left:right])
        else:
            pieces.append(Piece(text[left:right], covering))
    return pieces


def findings_by_line(findings: Sequence[Mapping[str, Any]], count: int) -> tuple[list[list[Mapping[str, Any]]], list]:
    """The findings of each line (the linter numbers lines from 1), and those of the script as a whole (no line, or a
    line number outside the script)."""
    per_line: list[list[Mapping[str, Any]]] = [[] for _ in range(count)]
    whole: list[Mapping[str, Any]] = []
    for finding in findings:
        line = finding.get("line")
        if isinstance(line, int) and 1 <= line <= count:
            per_line[line - 1].append(finding)
        else:
            whole.append(finding)
    return per_line, whole
