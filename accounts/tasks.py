"""Thin Celery adapters of the accounts app: each takes ids and calls a service."""

from celery import shared_task


@shared_task
def user_welcome_email_send_task(user_id: int, inviter: str) -> bool:
    """Send a new account's welcome email with its set-password link (none once a password is set)."""
    from accounts.services import user_welcome_email_deliver

    return user_welcome_email_deliver(user_id=user_id, inviter=inviter)
