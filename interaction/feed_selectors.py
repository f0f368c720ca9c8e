"""Reads for the comment-feed panel and its API: recent comments with their decisions and suggestions, the
suppressed/flagged count (never the suppressed texts' answers), queued answers, and the room's curves."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from interaction.models import Answer, Comment, RoomSample
from streaming.models import Stream


def comment_feed(stream: Stream, *, limit: int = 50) -> dict[str, Any]:
    comments = Comment.objects.filter(stream=stream).order_by("-received_at", "-pk")[:limit]
    counts = Comment.objects.filter(stream=stream).aggregate(
        total=Count("pk"),
        answered=Count("pk", filter=Q(decision=Comment.Decision.ANSWER)),
        operator=Count("pk", filter=Q(decision=Comment.Decision.OPERATOR)),
        suppressed=Count("pk", filter=Q(decision=Comment.Decision.SUPPRESSED)),
        flagged=Count("pk", filter=Q(flagged=True)),
    )
    since = timezone.now() - timedelta(hours=2)
    samples = RoomSample.objects.filter(stream=stream, at__gte=since).order_by("at")[:2000]
    return {
        "counts": counts,
        "comments": [
            {
                "id": str(c.public_id),
                "platform": c.platform,
                "author": c.author_hash[:8],
                # A suppressed comment's text is hidden from the feed; the operator sees that it was flagged and why.
                "text": "" if c.decision == Comment.Decision.SUPPRESSED else c.text,
                "events": c.events,
                "received_at": c.received_at.isoformat(),
                "decision": c.decision,
                "reason": c.reason,
                "score": c.score,
                "flags": c.flags,
                "handled": c.handled,
                "candidates": [] if c.decision == Comment.Decision.SUPPRESSED else c.candidates,
            }
            for c in comments
        ],
        "queued": [
            {"id": str(a.public_id), "text": a.spoken_text, "source": a.source}
            for a in Answer.objects.filter(stream=stream, state=Answer.State.QUEUED).order_by("created_at")[:20]
        ],
        "room": [
            {"at": s.at.isoformat(), "viewers": s.viewers, "orders_per_minute": s.orders_per_minute} for s in samples
        ],
    }
