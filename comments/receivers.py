"""Listen to surveys' signals (surveys never imports comments): register a submitted response's comments."""

from surveys.signals import response_submitted, responses_imported


def on_response_submitted(sender, *, response_id: int, cycle_id: int, **kwargs) -> None:
    """Queue, after commit (kept in the outbox while the broker is down), the moderation records of its comments."""
    from core.outbox import enqueue_on_commit

    enqueue_on_commit("reports.tasks.comments_register_task", {"cycle_id": cycle_id, "response_id": response_id})


def on_responses_imported(sender, *, cycle_id: int, response_ids: list[int], **kwargs) -> None:
    """For a whole contractor's file, queue after commit: register the cycle's new comments, once."""
    from core.outbox import enqueue_on_commit

    enqueue_on_commit("reports.tasks.comments_register_task", {"cycle_id": cycle_id})


_UID = "comments.on_response_submitted"
_UID_IMPORTED = "comments.on_responses_imported"


def connect() -> None:
    response_submitted.connect(on_response_submitted, dispatch_uid=_UID)
    responses_imported.connect(on_responses_imported, dispatch_uid=_UID_IMPORTED)


def disconnect() -> None:
    response_submitted.disconnect(dispatch_uid=_UID)
    responses_imported.disconnect(dispatch_uid=_UID_IMPORTED)
