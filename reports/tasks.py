"""Thin Celery adapters for scorecards: take ids, call a service, safe to run twice."""

from celery import shared_task

from reports import services


@shared_task
def scorecard_refresh_task(response_id: int, cycle_id: int) -> bool:
    """Add a submitted response to its cycle's figures, then publish them (coalesced)."""
    applied = services.scorecard_apply_response(response_id=response_id)
    scorecards_publish_task.delay(cycle_id)
    return applied


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
    """Recompute every cycle that has responses (the nightly reconcile); return how many were queued."""
    from reports.selectors import cycles_with_responses

    cycle_ids = cycles_with_responses()
    for cycle_id in cycle_ids:
        scorecards_recompute_task.delay(cycle_id)
    return len(cycle_ids)
