"""Thin Celery adapters for scorecards: take ids, call a service, safe to run twice.

The tasks keep the names they had in the ``reports`` app (``name=``), so that messages already on a
queue, and the beat schedule's entries, still find them after the move; the catch-up keeps the name it
had in the project package for the same reason.
"""

from celery import shared_task

from scorecards import selectors, services


@shared_task(name="reports.tasks.scorecard_refresh_task")
def scorecard_refresh_task(response_id: int, cycle_id: int) -> bool:
    """Add a submitted response to its cycle's figures (the service queues their publication)."""
    return services.scorecard_apply_response(response_id=response_id)


@shared_task(name="reports.tasks.scorecards_publish_task")
def scorecards_publish_task(cycle_id: int) -> bool:
    """Publish the cycle's figures if they are behind its aggregates."""
    return services.scorecards_publish(cycle_id=cycle_id) is not None


@shared_task(name="reports.tasks.scorecards_recompute_task")
def scorecards_recompute_task(cycle_id: int) -> int:
    """Rebuild one cycle's figures from all its answers and publish them."""
    version = services.scorecards_recompute(cycle_id=cycle_id)
    services.scorecards_publish(cycle_id=cycle_id)
    return version


@shared_task(name="reports.tasks.scorecards_nightly_task")
def scorecards_nightly_task() -> int:
    """Recompute every cycle that has responses and register any comment missed (the nightly reconcile).

    Return how many cycles were queued.
    """
    from comments.tasks import comments_register_task
    from surveys.selectors import cycles_with_responses

    cycle_ids = cycles_with_responses()
    for cycle_id in cycle_ids:
        scorecards_recompute_task.delay(cycle_id)
        comments_register_task.delay(cycle_id)
    return len(cycle_ids)


@shared_task(name="appraisal_portal.tasks.scorecards_publish_catch_up_task")
def scorecards_publish_catch_up_task() -> int:
    """Queue the publish of each cycle whose figures are behind and not about to be published; return how many.

    Beat runs it every minute: a worker killed with a publish pending then delays the figures by about a
    minute, not the broker's visibility timeout.
    """
    cycle_ids = selectors.cycles_publish_behind()
    for cycle_id in cycle_ids:
        scorecards_publish_task.delay(cycle_id)
    return len(cycle_ids)


@shared_task(name="reports.tasks.scorecards_provisional_snapshot_task")
def scorecards_provisional_snapshot_task(cycle_id: int, actor_id: int) -> int | None:
    """Build the provisional snapshot an admin asked for; return its id, or None if it is refused by now."""
    from scorecards.services.provisional import provisional_snapshot_run

    return provisional_snapshot_run(cycle_id=cycle_id, actor_id=actor_id)
