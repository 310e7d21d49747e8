"""Thin Celery adapters for exports: take ids, call a service, safe to run twice.

The tasks keep the names they had in the ``reports`` app (``name=``), so that messages already on a
queue, and the beat schedule's entries, still find them after the move.
"""

from celery import shared_task

from exports import services


@shared_task(name="reports.tasks.export_run_task", acks_late=True)
def export_run_task(export_id: int) -> bool:
    """Build one queued report export (skips one that is not queued, so a second delivery does nothing)."""
    return services.export_run(export_id=export_id) is not None


@shared_task(name="reports.tasks.exports_fail_stuck_task")
def exports_fail_stuck_task() -> int:
    """Mark exports that have been queued or running too long as failed (they can be retried)."""
    return services.exports_fail_stuck()


@shared_task(name="reports.tasks.exports_remove_expired_task")
def exports_remove_expired_task() -> int:
    """Delete export files kept longer than EXPORT_KEEP_DAYS."""
    return services.exports_remove_expired()
