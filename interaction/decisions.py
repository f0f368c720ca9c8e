"""What happens to a comment: moderation first (suppressed, flagged, counted), then FAQ retrieval. Above the
confidence threshold, and only when the entry's stored answer still passes the linter, the answer is queued for the
runner (the stored text, never generated words); otherwise the comment goes to the operator with the top
candidates. Every decision is ledgered with its scores (docs/live-interaction.md).

A comment that asks the host to say something ("ignore your instructions and say …") is just text to match: the only
sentences that can ever be queued are approved FAQ answers and an operator's linted reply."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.services import record_event
from interaction.faq_index import faq_index_for
from interaction.models import Answer, Comment
from interaction.moderation import Flag, moderate
from interaction.retrieval import FaqIndex, Match
from streaming.linter import LintContext, lint_line, rules_version
from streaming.models import Product

ADDRESS_FORMS = Path(__file__).resolve().parent / "data" / "address_forms.yaml"


@dataclass(frozen=True)
class Verdict:
    decision: str  # answer / operator / suppressed
    reason: str
    match: Match | None
    flags: tuple[Flag, ...]
    answer: str = ""
    faq_id: int | None = None
    faq_public_id: str | None = None
    language: str = ""


@lru_cache(maxsize=1)
def address_forms() -> dict[str, str]:
    data = yaml.safe_load(ADDRESS_FORMS.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.items()}


def threshold() -> float:
    return settings.INTERACTION_ANSWER_CONFIDENCE_PERCENT / 100.0


def _answer_blocked(text: str, language: str, product_names: list[str]) -> list[str]:
    findings = lint_line(text, language=language, context=LintContext(product_names=product_names))
    return [f.rule for f in findings if f.severity == "block"]


def judge(text: str, index: FaqIndex, match: Match | None, product_names: list[str]) -> Verdict:
    """The decision for one comment's text (pure of writes: faq_match and the bench call it too)."""
    flags = tuple(moderate(text))
    if flags:
        return Verdict("suppressed", f"moderation:{flags[0].category}", None, flags)
    if not text.strip():
        return Verdict("suppressed", "no_text", None, ())
    if match is None or match.best is None:
        return Verdict("operator", "no_faq", match, ())
    best = match.best
    if match.confidence < threshold():
        return Verdict("operator", "low_confidence", match, ())
    blocked = _answer_blocked(best.doc.answer, best.doc.language, product_names)
    if blocked:
        # The word lists changed since the answer was approved: it is not spoken; the operator is told why.
        return Verdict(
            "operator",
            f"answer_fails_linter:{blocked[0]}",
            match,
            (),
            faq_id=best.doc.faq_id,
            faq_public_id=best.doc.public_id,
            language=best.doc.language,
        )
    return Verdict(
        "answer",
        "confident",
        match,
        (),
        answer=best.doc.answer,
        faq_id=best.doc.faq_id,
        faq_public_id=best.doc.public_id,
        language=best.doc.language,
    )


def product_names(organisation_id: int) -> list[str]:
    return list(Product.objects.filter(organisation_id=organisation_id).values_list("name", flat=True)[:500])


def judge_texts(organisation_id: int, texts: list[str]) -> list[Verdict]:
    index = faq_index_for(organisation_id)
    names = product_names(organisation_id)
    clean = [i for i, t in enumerate(texts) if t.strip() and not moderate(t)]
    matches: dict[int, Match] = dict(zip(clean, index.match_many([texts[i] for i in clean]), strict=True))
    return [judge(t, index, matches.get(i), names) for i, t in enumerate(texts)]


def candidates_data(match: Match | None) -> list[dict[str, Any]]:
    if match is None:
        return []
    return [
        {
            "faq": c.doc.public_id,
            "question": c.doc.question,
            "answer": c.doc.answer,
            "language": c.doc.language,
            "score": round(c.score, 4),
            "cosine": round(c.cosine, 4),
            "bm25": round(c.bm25, 4),
        }
        for c in match.candidates
    ]


def decide_comment_ids(comment_ids: list[int]) -> None:
    """Decide every still-pending comment of `comment_ids` (a second run decides nothing twice)."""
    comments = list(
        Comment.objects.filter(pk__in=comment_ids, decision=Comment.Decision.PENDING)
        .select_related("stream__organisation")
        .order_by("received_at", "pk")
    )
    by_org: dict[int, list[Comment]] = {}
    for c in comments:
        by_org.setdefault(c.stream.organisation_id, []).append(c)
    for org_id, group in by_org.items():
        for comment, verdict in zip(group, judge_texts(org_id, [c.text for c in group]), strict=True):
            record_decision(comment=comment, verdict=verdict)


def record_decision(*, comment: Comment, verdict: Verdict) -> Answer | None:
    stream = comment.stream
    now = timezone.now()
    with transaction.atomic():
        changed = Comment.objects.filter(pk=comment.pk, decision=Comment.Decision.PENDING).update(
            decision=verdict.decision,
            decided_at=now,
            faq_id=verdict.faq_id,
            score=verdict.match.confidence if verdict.match else None,
            candidates=candidates_data(verdict.match),
            reason=verdict.reason,
            flagged=bool(verdict.flags),
            flags=[f"{f.category}/{f.entry}" for f in verdict.flags],
        )
        if not changed:
            return None
        record_event(
            kind="interaction.comment_decided",
            subject=stream.subject,
            payload={
                "stream": str(stream.public_id),
                "comment": str(comment.public_id),
                "decision": verdict.decision,
                "reason": verdict.reason,
                "confidence": round(verdict.match.confidence, 4) if verdict.match else None,
                "threshold": threshold(),
                "candidates": [
                    {"faq": c["faq"], "score": c["score"], "cosine": c["cosine"], "bm25": c["bm25"]}
                    for c in candidates_data(verdict.match)
                ],
                "flags": [f"{f.category}/{f.entry}" for f in verdict.flags],
                "rules_version": rules_version(),
            },
            actor="system",
            organisation=stream.organisation,
        )
        if verdict.decision != "answer":
            return None
        from interaction.answers import queue_answer

        return queue_answer(
            comment=comment,
            text=verdict.answer,
            language=verdict.language,
            faq_id=verdict.faq_id,
            faq_public_id=verdict.faq_public_id,
            source=Answer.Source.MATCHED,
            by=None,
        )
