"""The brand's FAQ quality page reads: over the brand's streams, the answer rate (comments answered from the FAQ
among those not suppressed), the FAQ entries asked most, and the questions asked and not answered (sent to the
operator for low confidence or no FAQ), grouped by their text, to extend the FAQ with."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from accounts.models import Organisation
from interaction.models import Comment
from streaming.models import FaqEntry


def faq_quality(organisation: Organisation, *, limit: int = 20) -> dict[str, Any]:
    comments = Comment.objects.filter(stream__organisation=organisation)
    counts = comments.aggregate(
        total=Count("pk"),
        answered=Count("pk", filter=Q(decision=Comment.Decision.ANSWER)),
        operator=Count("pk", filter=Q(decision=Comment.Decision.OPERATOR)),
        suppressed=Count("pk", filter=Q(decision=Comment.Decision.SUPPRESSED)),
        # Suppressed by moderation, not merely without text (a like or a gift alone).
        flagged=Count("pk", filter=Q(flagged=True)),
    )
    considered = counts["answered"] + counts["operator"]
    top = (
        comments.filter(decision=Comment.Decision.ANSWER, faq__isnull=False)
        .values("faq")
        .annotate(n=Count("pk"))
        .order_by("-n", "faq")[:limit]
    )
    entries = FaqEntry.objects.in_bulk([row["faq"] for row in top])
    unanswered = (
        comments.filter(decision=Comment.Decision.OPERATOR)
        .exclude(text="")
        .values("text")
        .annotate(n=Count("pk"))
        .order_by("-n", "text")[:limit]
    )
    return {
        "counts": counts,
        "answer_rate": (counts["answered"] / considered) if considered else None,
        "top_questions": [{"faq": entries[row["faq"]], "count": row["n"]} for row in top if row["faq"] in entries],
        "unanswered": [{"text": row["text"], "count": row["n"]} for row in unanswered],
    }
