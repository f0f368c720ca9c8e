"""Thin tasks: decide stored comments after the webhook's transaction commits."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True)
def decide_comments(comment_ids: list[int]) -> None:
    from interaction.decisions import decide_comment_ids

    decide_comment_ids(comment_ids)
