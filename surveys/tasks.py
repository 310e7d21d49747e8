"""Thin Celery adapters: each takes ids, calls a service, and is safe to run twice."""

from celery import shared_task
from django.utils import timezone


@shared_task
def invitation_email_send_task(invitation_id: int) -> bool:
    """Send an invitation's pending invitation or reminder email."""
    from surveys.services.emails import invitation_email_deliver

    return invitation_email_deliver(invitation_id=invitation_id)


@shared_task
def response_receipt_send_task(response_id: int) -> bool:
    """Send the receipt for a submitted response."""
    from surveys.services.emails import response_receipt_deliver

    return response_receipt_deliver(response_id=response_id)


@shared_task
def reminders_send_due_task() -> int:
    """Queue the reminders due now (run daily by beat)."""
    from surveys.services.invitations import reminders_send_due

    return reminders_send_due(now=timezone.now())
