"""Thin Celery adapters for comments: take ids, call a service, safe to run twice.

The task keeps the name it had in the ``reports`` app, so that messages already queued still find it.
"""

from celery import shared_task

from comments import services


@shared_task(name="reports.tasks.comments_register_task")
def comments_register_task(cycle_id: int, response_id: int | None = None) -> int:
    """Give the new comments of a cycle (or of one response) their moderation records; return how many."""
    return services.comments_register(cycle_id=cycle_id, response_id=response_id)
