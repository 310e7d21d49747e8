"""Listen to surveys' signals (surveys never imports reports)."""

from django.db import transaction

from surveys.signals import response_submitted


def on_response_submitted(sender, *, response_id: int, cycle_id: int, **kwargs) -> None:
    """Queue, after commit, the refresh of the response's figures and the moderation records of its comments."""
    from reports.tasks import comments_register_task, scorecard_refresh_task

    transaction.on_commit(lambda: scorecard_refresh_task.delay(response_id, cycle_id))
    transaction.on_commit(lambda: comments_register_task.delay(cycle_id, response_id))


_UID = "reports.on_response_submitted"


def connect() -> None:
    response_submitted.connect(on_response_submitted, dispatch_uid=_UID)


def disconnect() -> None:
    response_submitted.disconnect(dispatch_uid=_UID)
