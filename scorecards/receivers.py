"""Listen to surveys' signals (surveys never imports scorecards): refresh a submitted response's figures."""

from django.db import transaction

from surveys.signals import response_submitted


def on_response_submitted(sender, *, response_id: int, cycle_id: int, **kwargs) -> None:
    """Queue, after commit, the refresh of the response's figures."""
    from scorecards.tasks import scorecard_refresh_task

    transaction.on_commit(lambda: scorecard_refresh_task.delay(response_id, cycle_id))


_UID = "scorecards.on_response_submitted"


def connect() -> None:
    response_submitted.connect(on_response_submitted, dispatch_uid=_UID)


def disconnect() -> None:
    response_submitted.disconnect(dispatch_uid=_UID)
