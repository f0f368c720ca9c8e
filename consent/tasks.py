"""Celery tasks of consent: thin wrappers over services (expiry is scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="consent.tasks.expire_consents_task", ignore_result=True)
def expire_consents_task() -> int:
    """Mark every live consent past its valid_until as expired (the gate already refuses them); returns how many."""
    from consent.services import expire_consents

    return expire_consents()


@shared_task(name="consent.tasks.expire_drafts_task", ignore_result=True)
def expire_drafts_task() -> int:
    """Discard every unsigned draft older than 24 hours (ledgered `consent.draft_expired`); returns how many."""
    from consent.services import expire_drafts

    return expire_drafts()


@shared_task(name="consent.tasks.expire_sample_uploads_task", ignore_result=True)
def expire_sample_uploads_task() -> int:
    """End every open chunked sample upload past its 24 hours and delete its sealed parts; returns how many."""
    from consent.sample_uploads import expire_sample_uploads

    return expire_sample_uploads()
