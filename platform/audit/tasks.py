"""Celery tasks of the ledger: thin wrappers over services (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="audit.tasks.create_checkpoint_task", ignore_result=True)
def create_checkpoint_task() -> int | None:
    """Sign a checkpoint over the events since the last one; returns its id (None when nothing was new)."""
    from audit.services import create_checkpoint

    checkpoint = create_checkpoint()
    return checkpoint.pk if checkpoint is not None else None


# Acknowledged late and re-queued if the worker dies: the build is idempotent (a finished export is left alone, an
# interrupted one is written again from the start).
@shared_task(name="audit.tasks.build_audit_export_task", ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def build_audit_export_task(export_id: int) -> None:
    """Build one auditor bundle."""
    from audit.exports import build_export

    build_export(export_id=export_id)
