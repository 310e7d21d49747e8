"""Writes of the fieldwork dashboard: chasing leads who have not responded yet."""

from django.db import transaction
from django.utils import timezone

from surveys.services.invitations import reminders_count_due


def reminders_queue_now() -> int:
    """Queue the surveys reminder task after commit; return how many reminders it will send now."""
    from surveys.tasks import reminders_send_due_task

    count = reminders_count_due(now=timezone.now())
    if count:
        transaction.on_commit(reminders_send_due_task.delay)
    return count
