"""Celery tasks of compliance: thin wrappers over services (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="compliance.tasks.purge_expired_recordings_task", ignore_result=True)
def purge_expired_recordings_task() -> int:
    """Delete recordings past their retention date (legal holds block it); returns how many streams were purged."""
    from compliance.retention import purge_expired_recordings

    return len(purge_expired_recordings().purged)


@shared_task(name="compliance.tasks.artifact_check_task", ignore_result=True)
def artifact_check_task(check_id: int) -> str:
    """Re-examine one stream's stored artifacts (compliance.artifacts.run_artifact_check); returns the status."""
    from compliance.artifacts import run_artifact_check

    return str(run_artifact_check(check_id).status)
