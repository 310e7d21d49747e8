"""Signals other apps listen to (``scorecards`` refreshes its figures, ``comments`` registers comments);
``surveys`` never imports them.

``response_submitted`` is sent after the submitting transaction commits, with keyword arguments
``response_id``, ``cycle_id``, ``area_team_id`` and ``lead_role`` (ids, never instances).
"""

from django.dispatch import Signal

response_submitted = Signal()
