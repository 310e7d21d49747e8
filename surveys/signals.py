"""Signals other apps listen to (``scorecards`` refreshes its figures, ``comments`` registers comments);
``surveys`` never imports them.

``response_submitted`` is sent inside the submitting transaction, with keyword arguments
``response_id``, ``cycle_id``, ``area_team_id`` and ``rater_group`` (ids, never instances). A listener
records its tasks with ``core.outbox.enqueue_on_commit``: they commit with the submission, are sent
after it, and wait in the outbox if the broker is down.

``cycle_state_changed`` is sent inside the transaction that moves a cycle, with ``cycle_id``, ``previous``
and ``state``; listeners enqueue with ``enqueue_on_commit`` too (closing fieldwork is when results are built).

``responses_imported`` is sent once for a whole contractor's file, inside its transaction, with
``cycle_id`` and ``response_ids`` (the responses it submitted): listeners rebuild once for the file,
rather than once per response.
"""

from django.dispatch import Signal

response_submitted = Signal()
cycle_state_changed = Signal()

responses_imported = Signal()
