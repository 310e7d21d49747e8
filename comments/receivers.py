"""Listen to surveys' signals (surveys never imports comments): register a submitted response's comments."""

from django.db import transaction

from surveys.signals import response_submitted


def on_response_submitted(sender, *, response_id: int, cycle_id: int, **kwargs) -> None:
    """Queue, after commit, the moderation records of the response's comments."""
    from comments.tasks import comments_register_task

    transaction.on_commit(lambda: comments_register_task.delay(cycle_id, response_id))


_UID = "comments.on_response_submitted"


def connect() -> None:
    response_submitted.connect(on_response_submitted, dispatch_uid=_UID)


def disconnect() -> None:
    response_submitted.disconnect(dispatch_uid=_UID)
