"""Listen to surveys' signals (surveys never imports scorecards): refresh a submitted response's figures."""

from surveys.signals import response_submitted


def on_response_submitted(sender, *, response_id: int, cycle_id: int, **kwargs) -> None:
    """Queue, after commit (kept in the outbox while the broker is down), the refresh of the response's figures."""
    from core.outbox import enqueue_on_commit

    enqueue_on_commit("scorecards.tasks.scorecard_refresh_task", {"response_id": response_id, "cycle_id": cycle_id})


_UID = "scorecards.on_response_submitted"


def connect() -> None:
    response_submitted.connect(on_response_submitted, dispatch_uid=_UID)


def disconnect() -> None:
    response_submitted.disconnect(dispatch_uid=_UID)
