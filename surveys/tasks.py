"""Thin Celery adapters: each takes ids, calls a service, and is safe to run twice."""

from smtplib import SMTPException

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

# Email tasks retry with exponential backoff (with jitter, up to 10 minutes apart, for about an hour) when
# the database or the mail server fails: a receipt was lost during a PostgreSQL restart. Safe, since each
# delivery sends only what is still pending and marks it in the same transaction.
EMAIL_RETRY = {
    "autoretry_for": (DatabaseError, SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 10,
}


@shared_task(**EMAIL_RETRY)
def invitation_email_send_task(invitation_id: int) -> bool:
    """Send an invitation's pending invitation or reminder email."""
    from surveys.services.emails import invitation_email_deliver

    return invitation_email_deliver(invitation_id=invitation_id)


@shared_task(**EMAIL_RETRY)
def response_receipt_send_task(response_id: int) -> bool:
    """Send the receipt for a submitted response."""
    from surveys.services.emails import response_receipt_deliver

    return response_receipt_deliver(response_id=response_id)


@shared_task
def reminders_send_due_task() -> int:
    """Queue the reminders due now (run daily by beat)."""
    from surveys.services.invitations import reminders_send_due

    return reminders_send_due(now=timezone.now())


@shared_task(acks_late=True)
def import_job_run_task(job_id: int) -> bool:
    """Check and apply one uploaded import (a finished job is skipped, so a second delivery does nothing)."""
    from surveys.services.import_jobs import import_job_run

    return import_job_run(job_id=job_id) is not None
