"""Thin Celery adapters for scorecards: take ids, call a service, safe to run twice."""

from celery import shared_task

from reports import services


@shared_task
def scorecard_refresh_task(response_id: int, cycle_id: int) -> bool:
    """Add a submitted response to its cycle's figures (the service queues their publication)."""
    return services.scorecard_apply_response(response_id=response_id)


@shared_task
def scorecards_publish_task(cycle_id: int) -> bool:
    """Publish the cycle's figures if they are behind its aggregates."""
    return services.scorecards_publish(cycle_id=cycle_id) is not None


@shared_task
def scorecards_recompute_task(cycle_id: int) -> int:
    """Rebuild one cycle's figures from all its answers and publish them."""
    version = services.scorecards_recompute(cycle_id=cycle_id)
    services.scorecards_publish(cycle_id=cycle_id)
    return version


@shared_task
def scorecards_nightly_task() -> int:
    """Recompute every cycle that has responses and register any comment missed (the nightly reconcile).

    Return how many cycles were queued.
    """
    from reports.selectors import cycles_with_responses

    cycle_ids = cycles_with_responses()
    for cycle_id in cycle_ids:
        scorecards_recompute_task.delay(cycle_id)
        comments_register_task.delay(cycle_id)
    return len(cycle_ids)


@shared_task
def comments_register_task(cycle_id: int, response_id: int | None = None) -> int:
    """Give the new comments of a cycle (or of one response) their moderation records; return how many."""
    return services.comments_register(cycle_id=cycle_id, response_id=response_id)


@shared_task(acks_late=True)
def export_run_task(export_id: int) -> bool:
    """Build one queued report export (skips one that is not queued, so a second delivery does nothing)."""
    from reports.services.exports import export_run

    return export_run(export_id=export_id) is not None


@shared_task
def exports_fail_stuck_task() -> int:
    """Mark exports that have been queued or running too long as failed (they can be retried)."""
    from reports.services.exports import exports_fail_stuck

    return exports_fail_stuck()


@shared_task
def exports_remove_expired_task() -> int:
    """Delete export files kept longer than EXPORT_KEEP_DAYS."""
    from reports.services.exports import exports_remove_expired

    return exports_remove_expired()
