"""The comment burst of `manage.py demo`'s live stream (streaming.live_demo): data/demo_live_comments.jsonl replayed
through the simulator (the webhook's storage path) once the stream is on air: a question the demo catalog's FAQ
answers (streaming.demo: "会掉色吗？"), an abusive comment, and a question no FAQ entry answers confidently. Each is
decided as it is stored (moderation, then the matcher): the first is queued and spoken by the runner, the second is
suppressed, the third waits for the operator. `burst_summary` is what summary.json lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from interaction.connectors.simulator import replay_file
from interaction.models import Answer, Comment
from streaming.models import Stream

BURST = Path(__file__).resolve().parent / "data" / "demo_live_comments.jsonl"


def send_burst(stream: Stream, *, speed: float = 4.0) -> list[int]:
    """Replay the burst into the stream (at `speed` × its pace; about a third of a second at the default)."""
    from interaction.decisions import decide_comment_ids

    ids = replay_file(stream=stream, path=BURST, speed=speed, run="demo")
    decide_comment_ids(ids)  # already decided on commit where tasks run in process; a no-op then
    return ids


def burst_answers_spoken(stream: Stream, *, published_through: int) -> bool:
    """Every queued answer of the stream was spoken and its first segments are published (so a pause that comes now
    cannot take their place on air). True when nothing was queued."""
    answers = list(Answer.objects.filter(stream=stream).values_list("state", "spoken_sequence"))
    return all(
        state != Answer.State.QUEUED and (sequence is None or published_through >= sequence + 2)
        for state, sequence in answers
    )


def burst_summary(stream: Stream) -> dict[str, Any]:
    comments = list(Comment.objects.filter(stream=stream).order_by("received_at", "pk"))
    answers = {
        a.comment_id: a for a in Answer.objects.filter(stream=stream).select_related("faq").order_by("created_at")
    }
    return {
        "file": str(BURST),
        "comments": [
            {
                # A suppressed comment's text is not repeated (it is in the ledger, hashed author and all).
                "text": "" if c.decision == Comment.Decision.SUPPRESSED else c.text,
                "decision": c.decision,
                "reason": c.reason,
                "confidence": None if c.score is None else round(c.score, 4),
                "flags": c.flags,
            }
            for c in comments
        ],
        "answered": [
            {
                "comment": c.text,
                "faq_id": str(a.faq.public_id) if a.faq else None,
                "answer": a.spoken_text,
                "source": a.source,
                "state": a.state,
                "spoken_in_segment": a.spoken_sequence,
                "answer_id": str(a.public_id),
            }
            for c in comments
            if (a := answers.get(c.pk)) is not None
        ],
        "suppressed": sum(1 for c in comments if c.decision == Comment.Decision.SUPPRESSED),
        "to_operator": sum(1 for c in comments if c.decision == Comment.Decision.OPERATOR),
    }
