"""Celery tasks of accounts: thin wrappers over services (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="accounts.tasks.purge_expired_api_tokens_task", ignore_result=True)
def purge_expired_api_tokens_task() -> int:
    """Delete expired API tokens; returns how many."""
    from accounts.tokens import purge_expired_api_tokens

    return purge_expired_api_tokens()
