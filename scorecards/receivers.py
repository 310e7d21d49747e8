"""Listen to surveys' signals (surveys never imports scorecards): refresh a submitted response's figures."""

from surveys.models import CycleState
from surveys.signals import cycle_state_changed, response_submitted, responses_imported


def on_response_submitted(sender, *, response_id: int, cycle_id: int, **kwargs) -> None:
    """Queue, after commit (kept in the outbox while the broker is down), the refresh of the response's figures."""
    from core.outbox import enqueue_on_commit

    enqueue_on_commit("reports.tasks.scorecard_refresh_task", {"response_id": response_id, "cycle_id": cycle_id})


def on_responses_imported(sender, *, cycle_id: int, response_ids: list[int], **kwargs) -> None:
    """For a whole contractor's file, queue after commit one rebuild of the cycle's figures, and its publication."""
    from core.outbox import enqueue_on_commit

    enqueue_on_commit("reports.tasks.scorecards_recompute_task", {"cycle_id": cycle_id})


def on_cycle_state_changed(sender, *, cycle_id: int, state: str, **kwargs) -> None:
    """Build the results once fieldwork closes (nothing is published while a cycle is open)."""
    from core.outbox import enqueue_on_commit

    if state == CycleState.CLOSED:
        enqueue_on_commit("reports.tasks.scorecards_recompute_task", {"cycle_id": cycle_id})


_UID = "scorecards.on_response_submitted"
_STATE_UID = "scorecards.on_cycle_state_changed"
_UID_IMPORTED = "scorecards.on_responses_imported"


def connect() -> None:
    response_submitted.connect(on_response_submitted, dispatch_uid=_UID)
    cycle_state_changed.connect(on_cycle_state_changed, dispatch_uid=_STATE_UID)
    responses_imported.connect(on_responses_imported, dispatch_uid=_UID_IMPORTED)


def disconnect() -> None:
    response_submitted.disconnect(dispatch_uid=_UID)
    cycle_state_changed.disconnect(dispatch_uid=_STATE_UID)
    responses_imported.disconnect(dispatch_uid=_UID_IMPORTED)
